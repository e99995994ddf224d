// Writing a pull step's layout back: new columns set up (header, binding note, format, dropdown), schema
// drift applied (headers, formats, dropdowns), then the touched rows, managed columns only.
import type { CellValue } from '../ports';
import { NUMBER_FORMATS } from '../schema/codecs';
import { LEAD_ID_KEY } from '../schema/columns';
import { bindingNote, writeBindings } from './column-binding';
import { writeColumns } from './write-managed-columns';
import { dropdownList, dropdownValues, listFingerprint } from './column-dropdowns';
import type { SyncContext } from './context';
import type { PullDefinition } from './pull-definition';
import type { CellBlock, DirtyCells } from './dirty-cells';
import type { FormulaCells } from './formula-cells';
import type { Layout } from './pull-layout';

/** Cells per setValues call: big enough to be few calls, small enough to stay well inside Sheets' limits. */
const WRITE_CELLS = 600_000;

/** The blocks a step writes (dirty-cells.ts): over the cells it changed, and what it read between them. */
export function stepBlocks(layout: Layout, dirty: DirtyCells): CellBlock[] {
  return dirty.blocks(
    undefined,
    layout.loaded
      ? { loaded: layout.loaded, existingRows: layout.existingRows, spans: layout.spans }
      : undefined,
  );
}

export function writeSheet(
  layout: Layout,
  ctx: SyncContext,
  seen: PullDefinition['seen'],
  /** The cells this step changed: only they are written (see dirty-cells.ts). */
  dirty: DirtyCells,
  /** The first row this step grew the sheet by already, if it did (see prepareSheets). */
  grownBefore: number,
  /** Cells holding the rep's formulas, left out of every write (formula-cells.ts). */
  formulas?: FormulaCells,
): void {
  const { grid, columnOf, addedColumns, width } = layout;
  const grownNow = grid.ensureSize(layout.rows.length + 1, width);
  const grownFrom = grownBefore > 0 ? grownBefore : grownNow;
  for (const { column, text } of layout.headerUpdates) grid.write(1, column, [[text]]);
  const columnAt = new Map(ctx.columns.map((c) => [columnOf.get(c.key)!, c]));
  writeBindings(
    grid,
    layout.rebound.map((at) => ({ column: at, field: columnAt.get(at)! })),
  );
  if (layout.retyped.length > 0) {
    const byFormat = new Map<string, number[]>();
    for (const at of layout.retyped) {
      const format = NUMBER_FORMATS[columnAt.get(at)!.kind];
      byFormat.set(format, [...(byFormat.get(format) ?? []), at]);
    }
    // Formats first: a text column must be plain text before values land, or Sheets coerces them.
    for (const [format, columns] of byFormat) grid.formatColumns(columns, format);
  }
  const added = new Set(addedColumns);
  const managed = ctx.columns.map((c) => columnOf.get(c.key)!);
  // A new sheet's header row goes with its first rows, in the same setValues.
  const blocks = stepBlocks(layout, dirty);
  const top = blocks[0];
  const headerWithRows =
    top?.firstRow === 0 &&
    top.firstColumn === 1 &&
    top.lastColumn === width &&
    addedColumns.length === width &&
    managed.length === width;
  grid.setUpColumns(
    addedColumns.map((at) => {
      const column = columnAt.get(at)!;
      return {
        column: at,
        header: column.header,
        note: bindingNote(column),
        format: NUMBER_FORMATS[column.kind],
        readOnly: !column.editable,
        dropdown: dropdownValues(column, ctx),
        list: dropdownList(column),
      };
    }),
    {
      headersWrittenLater: headerWithRows,
      // A new sheet's ID column (first, see arrangeNewColumns) stays in view beside every row.
      freezeFirstColumn: addedColumns.includes(1) && columnAt.get(1)?.key === LEAD_ID_KEY,
    },
  );
  // Rows the sheet grew by (a later step, new leads) get the columns' formats and dropdowns; columns
  // set up just now have them down to the last row already.
  if (grownFrom > 0)
    grid.extendFormats(
      grownFrom,
      ctx.columns.map((c) => columnOf.get(c.key)!).filter((at) => !added.has(at)),
    );
  // Choices, statuses and users change in Close between pulls: a dropdown is rewritten when they did.
  for (const column of ctx.columns) {
    const at = columnOf.get(column.key)!;
    const values = dropdownValues(column, ctx);
    if (!values || added.has(at)) continue;
    const before = seen?.[column.key];
    if (
      !before?.list ||
      before.list !== listFingerprint(values) ||
      layout.retyped.includes(at) ||
      layout.rebound.includes(at)
    )
      grid.setDropdown(at, values, dropdownList(column));
  }
  // Sheet row → data row index: row 1 is the header.
  const skip =
    formulas && formulas.size > 0
      ? (row: number, column: number) => formulas.has(row - 2, column)
      : undefined;
  for (const block of blocks) {
    const columns = managed.filter((c) => c >= block.firstColumn && c <= block.lastColumn);
    const rowsPerCall = Math.max(1, Math.floor(WRITE_CELLS / Math.max(1, columns.length)));
    for (let start = block.firstRow; start <= block.lastRow; start += rowsPerCall) {
      const end = Math.min(block.lastRow, start + rowsPerCall - 1);
      const rows = layout.rows.slice(start, end + 1);
      if (headerWithRows && start === 0) {
        const header = new Array<CellValue>(width).fill('');
        for (const c of ctx.columns) header[columnOf.get(c.key)! - 1] = c.header;
        writeColumns(grid, 1, [header, ...rows], columns, skip);
      } else writeColumns(grid, start + 2, rows, columns, skip);
    }
  }
}
