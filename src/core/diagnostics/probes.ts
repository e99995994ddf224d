// The two diagnostics that do something rather than read a setting: ask Close who the key is
// (`GET /me/`, once, no retries: a rep waiting for the report should not sit through backoff), and time
// a small write and read on a scratch sheet that is removed again (the rep's own sheets are never
// written: a cell "far from the data" could still be someone's).
import type { CloseClient } from '../close/client';
import { ME_CALL, userDisplayName } from '../close/org';
import type { Me } from '../close/types';
import type { CellValue, Clock, Workbook } from '../ports';
import type { CloseCheck, SheetCostFacts } from './checks';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `client` must be made with no retries (see above); null when the rep has no key. */
export function checkClose(client: CloseClient | null, clock: Clock): CloseCheck {
  if (!client) return { kind: 'no-key' };
  const started = clock.now();
  let reply: ReturnType<CloseClient['callAll']>[number];
  try {
    [reply] = client.callAll([ME_CALL]);
  } catch (e) {
    if (e instanceof Error && e.name === 'CloseAuthError') return { kind: 'rejected' };
    return { kind: 'unreachable', message: messageOf(e) };
  }
  const ms = clock.now() - started;
  if (reply.ok) {
    const me = reply.data as Me;
    return {
      kind: 'ok',
      ms,
      user: userDisplayName(me),
      email: me.email,
      organization: me.organizations?.[0]?.name ?? '(no organization)',
    };
  }
  if (reply.status === 0)
    return { kind: 'unreachable', message: reply.message.replace(/^Could not reach Close: /, '') };
  if (reply.status === 429) return { kind: 'rate-limited' };
  if (reply.status >= 500) return { kind: 'server-error', status: reply.status };
  return { kind: 'failed', status: reply.status, message: reply.message };
}

/** 100 rows × 10 columns of plain numbers: about what one pull step writes per lead batch, in miniature. */
const ROWS = 100;
const COLUMNS = 10;

/**
 * Times one one-cell read (the fixed cost of a call) and a write plus read-back of ROWS × COLUMNS
 * cells, on a hidden sheet made for it and deleted afterwards, however the measurement ends.
 */
export function measureSheetCost(workbook: Workbook, clock: Clock, sheetName: string): SheetCostFacts {
  let grid: ReturnType<Workbook['createSheet']>;
  try {
    grid = workbook.createSheet(sheetName, { hidden: true, columns: COLUMNS });
  } catch (e) {
    return { cost: null, error: messageOf(e) };
  }
  let facts: SheetCostFacts;
  try {
    let started = clock.now();
    grid.read(1, 1, 1, 1);
    const callMs = clock.now() - started;
    const values: CellValue[][] = [];
    for (let r = 0; r < ROWS; r++) values.push(Array.from({ length: COLUMNS }, (_, c) => r * COLUMNS + c));
    started = clock.now();
    grid.write(1, 1, values);
    grid.read(1, 1, ROWS, COLUMNS);
    facts = { cost: { callMs, cells: ROWS * COLUMNS, writeReadMs: clock.now() - started } };
  } catch (e) {
    facts = { cost: null, error: messageOf(e) };
  }
  try {
    workbook.deleteSheet(sheetName);
  } catch {
    facts.leftover = sheetName;
  }
  return facts;
}
