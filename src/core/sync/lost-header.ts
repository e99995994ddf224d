// A deleted header row, written back. The header row's notes bind the columns to Close fields; deleting
// the row takes them along, and a sheet with no binding looks like a sheet never pulled into: the pull
// would add every lead again below rows that already hold them, and the rep's unpushed edits in those
// rows would be stranded (their Lead IDs no longer in a bound column). The last pull recorded each
// column's position (the definition's `seen`), so when the top row is now a lead's row — its id where
// the ID column was — and most rows hold ids there, a row is inserted above and the header written back
// with its notes. The rows are then found by their ids as before, and edits are kept by the snapshot.
// A sheet whose ids moved elsewhere (columns rearranged since the header went) is not guessed at: the
// pull refuses as before and says how to bring the header back.
import type { CellValue, Grid } from '../ports';
import { LEAD_ID_KEY } from '../schema/columns';
import { writeBindings } from './column-binding';
import type { SyncContext } from './context';
import type { PullDefinition } from './pull-definition';
import type { SheetTable } from './lead-sheet';

const ID_PATTERN: Record<string, RegExp> = {
  lead: /^lead_[A-Za-z0-9]+$/,
  contact: /^cont_[A-Za-z0-9]+$/,
  opportunity: /^oppo_[A-Za-z0-9]+$/,
};

/** Writes the header row back when it was deleted; true when it did. */
export function restoreLostHeader(
  grid: Grid,
  table: SheetTable,
  ctx: SyncContext,
  seen: PullDefinition['seen'],
): boolean {
  if (table.columnOf.size > 0 || !seen) return false;
  const idColumn = seen[LEAD_ID_KEY]?.column;
  if (!idColumn) return false;
  const pattern = ID_PATTERN[ctx.spec.kind];
  const isId = (v: CellValue | undefined) => typeof v === 'string' && pattern.test(v.trim());
  // With the header gone, row 1 is read as the header: it is the first lead's row now.
  const rows = [table.header, ...table.rows];
  if (!isId(rows[0][idColumn - 1])) return false;
  const filled = rows.filter((r) => r.some((v) => v !== ''));
  const withId = filled.filter((r) => isId(r[idColumn - 1])).length;
  if (withId * 2 <= filled.length) return false;
  const placed = ctx.columns.filter((c) => seen[c.key]?.column);
  const width = Math.max(...placed.map((c) => seen[c.key].column!));
  const header = new Array<CellValue>(width).fill('');
  for (const c of placed) header[seen[c.key].column! - 1] = c.header;
  grid.insertRowsBefore(1, 1);
  grid.write(1, 1, [header]);
  writeBindings(
    grid,
    placed.map((c) => ({ column: seen[c.key].column!, field: c })),
  );
  grid.styleColumns(
    placed.filter((c) => !c.editable).map((c) => seen[c.key].column!),
    placed.filter((c) => c.editable).map((c) => seen[c.key].column!),
  );
  return true;
}
