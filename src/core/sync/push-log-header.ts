// The push log's columns, on their own so that what prices a push step's writes (step-writes.ts) can
// count a log row's cells from the header itself: push-log.ts imports step-writes.ts (for the log's
// shape), so step-writes.ts importing push-log.ts would make an import cycle.

export const PUSH_LOG_HEADER = [
  'Push ID',
  'Time',
  'User',
  'Sheet',
  'Lead ID',
  'Lead name',
  'Field key',
  'Field',
  'Before',
  'After',
  'Undone',
  'Object',
];

/** The column (1-based) an undo marks: what happened to each field it undid. */
export const UNDONE_COLUMN = PUSH_LOG_HEADER.indexOf('Undone') + 1;
/** The column (1-based) of the push's time, formatted as a date-time. */
export const TIME_COLUMN = PUSH_LOG_HEADER.indexOf('Time') + 1;
