// The status history's rules on hand-made changes: which stays count, the median of an even number of
// stays, a missing label, the periods a build may record, and the tables it shows.
import { recordablePeriods } from '../../src/core/report/history';
import {
  checkBy,
  periodsBetween,
  type StatusChange,
  statusHistory,
  statusHistoryTables,
  toStatusChange,
} from '../../src/core/report/status-history';

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 6, 15); // Monday 2025-01-06, 10:00 in New York
const ZONE = 'America/New_York';

function change(
  objectId: string,
  from: string,
  to: string,
  days: number,
  object: StatusChange['object'] = 'Lead',
): StatusChange {
  return {
    object,
    objectId,
    pipeline: object === 'Lead' ? '' : 'Sales',
    from,
    to,
    at: T0 + days * DAY,
    id: `acti_${objectId}_${days}`,
  };
}

const PERIOD = {
  since: '2025-01-06',
  until: '2025-01-19',
  sinceMs: Date.UTC(2025, 0, 6, 5),
  untilMs: Date.UTC(2025, 0, 20, 5),
};

test('a stay runs from the change into a status to the change out of it, counted when it ended in the period', () => {
  const h = statusHistory(
    [
      // Entered before the period (read thanks to the lookback), left in it: 10 days.
      change('a', 'New', 'Qualified', -8),
      change('a', 'Qualified', 'Customer', 2),
      // Two stays in Qualified in the period: 1 and 4 days; with a's 10 the median is 4.
      change('b', 'New', 'Qualified', 1),
      change('b', 'Qualified', 'Customer', 2),
      change('c', 'New', 'Qualified', 3),
      change('c', 'Qualified', 'Bad Fit', 7),
      // Its entering change is unknown (a deleted change): the stay is not measured.
      change('d', 'New', 'Qualified', 1),
      change('d', 'Customer', 'Bad Fit', 5),
      // Left after the period: not counted.
      change('e', 'New', 'Qualified', 4),
      change('e', 'Qualified', 'Customer', 20),
    ],
    PERIOD,
    'week',
    ZONE,
    { lead: ['New', 'Qualified', 'Customer', 'Bad Fit'], pipelines: [] },
  );
  expect(h.stays).toEqual([{ object: 'Lead', pipeline: '', status: 'Qualified', stays: 3, medianDays: 4 }]);
  // Per week (Mondays, New York days), the most frequent first; a's first change is before the period.
  expect(h.transitions).toEqual([
    { period: '2025-01-06', object: 'Lead', pipeline: '', from: 'New', to: 'Qualified', count: 4 },
    { period: '2025-01-06', object: 'Lead', pipeline: '', from: 'Qualified', to: 'Customer', count: 2 },
    { period: '2025-01-06', object: 'Lead', pipeline: '', from: 'Customer', to: 'Bad Fit', count: 1 },
    { period: '2025-01-13', object: 'Lead', pipeline: '', from: 'Qualified', to: 'Bad Fit', count: 1 },
  ]);
});

test('an even number of stays has the mean of the middle two as its median, in days to the hundredth', () => {
  const h = statusHistory(
    [
      change('x', 'Active', 'Proposal Sent', 0, 'Opportunity'),
      change('x', 'Proposal Sent', 'Won', 1.5, 'Opportunity'),
      change('y', 'Active', 'Proposal Sent', 0, 'Opportunity'),
      change('y', 'Proposal Sent', 'Won', 2 + 1 / 3, 'Opportunity'),
    ],
    PERIOD,
    'month',
    ZONE,
  );
  expect(h.stays).toEqual([
    { object: 'Opportunity', pipeline: 'Sales', status: 'Proposal Sent', stays: 2, medianDays: 1.92 },
  ]);
  expect(statusHistoryTables(h)[2].rows).toEqual([['Proposal Sent (Sales)', 'Opportunity', 2, 1.92]]);
  expect(h.transitions.map((t) => t.period)).toEqual(['2025-01', '2025-01']);
});

test("Close's schema requires only the status ids: a missing label is the status's name, else its id", () => {
  const at = '2025-01-06T15:00:00.000000+00:00';
  const labels = new Map([['stat_new', 'New']]);
  expect(
    toStatusChange(
      'lead_status',
      {
        id: 'acti_1',
        date_created: at,
        lead_id: 'lead_1',
        old_status_id: 'stat_new',
        new_status_id: 'stat_x',
      },
      labels,
    ),
  ).toEqual({
    object: 'Lead',
    objectId: 'lead_1',
    pipeline: '',
    from: 'New',
    to: 'stat_x',
    at: T0,
    id: 'acti_1',
  });
  expect(
    toStatusChange(
      'opportunity_status',
      {
        id: 'acti_2',
        date_created: at,
        lead_id: 'lead_1',
        opportunity_id: 'oppo_1',
        old_status_label: 'Active',
        new_status_label: 'Won',
        new_pipeline_name: 'Sales',
      },
      labels,
    ),
  ).toEqual({
    object: 'Opportunity',
    objectId: 'oppo_1',
    pipeline: 'Sales',
    from: 'Active',
    to: 'Won',
    at: T0,
    id: 'acti_2',
  });
});

test('periods: weeks from Monday, months whole; only whole ones (or the one under way) are recorded', () => {
  expect(periodsBetween('2025-01-01', '2025-01-14', 'week')).toEqual([
    { period: '2024-12-30', first: '2024-12-30', last: '2025-01-05' },
    { period: '2025-01-06', first: '2025-01-06', last: '2025-01-12' },
    { period: '2025-01-13', first: '2025-01-13', last: '2025-01-19' },
  ]);
  expect(periodsBetween('2024-02-10', '2024-03-31', 'month').map((p) => [p.first, p.last])).toEqual([
    ['2024-02-01', '2024-02-29'],
    ['2024-03-01', '2024-03-31'],
  ]);
  const h = statusHistory([], { ...PERIOD, since: '2025-01-01', until: '2025-01-14' }, 'week', ZONE);
  expect(recordablePeriods(h, '2025-06-01').map((p) => p.period)).toEqual(['2025-01-06']);
  expect(recordablePeriods(h, '2025-01-14').map((p) => p.period)).toEqual(['2025-01-06', '2025-01-13']);
  expect(checkBy(undefined)).toBeNull();
  expect(() => checkBy('quarter')).toThrow('by must be "week" or "month" (got "quarter").');
});
