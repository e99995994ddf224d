// Row guards: rows whose values are really another lead's, recognised against the snapshot (what each
// lead looked like when pulled) before anything is sent. A sort of part of the sheet (the editable block
// without the Lead ID column), a shifted paste, or another lead's id pasted into a Lead ID cell all leave
// a row's cells showing one lead's pulled values under another lead's id; pushing that row would write
// them to the wrong lead. A pulled row whose Lead ID was cleared looks like a new lead to create, and
// would duplicate its lead in Close.
//
// The rules (documented in the README, "Rows that moved"): a pulled row R under Lead ID L, with D the
// editable fields whose cells no longer show L's pulled value, is refused when
//   A. its Name is another lead M's pulled Name (not L's), and of the changed fields at least two (Name
//      among them) and more than half show M's pulled values — a row that became M's row as a whole (a
//      sort, a paste), even with an unpushed edit of M's in it (three fields when R's Name became
//      empty: R may hold a nameless lead's values);
//   B. its Name is another lead M's pulled Name and M's own name moved away too (M's row shows another
//      name, or M is not in the sheet), on at least two rows — names permuted among rows (a sorted or
//      shifted block, where the leads differ in little more than their names);
//   C. every one of L's pulled non-empty values was replaced by another non-empty value (at least four,
//      Name among them) — the row holds somebody else's values even if they match no pulled lead (a
//      new row's, sorted into a pulled lead's place). A rep's edit that clears any of them is not this.
//   D. (moved-values.ts) its changed cells show, together, the values of exactly one other lead, whose
//      own row lost them — a sort or paste of columns that left the Name behind too (or a sheet without a
//      Name); the edited rows next to such rows, changed in the same columns, are held with them.
//   E. (sorted-column.ts) its cell in one column is part of a run of rows whose cells in that column are
//      the values pulled for those same rows, sorted or moved one row — one column sorted or pasted on its
//      own, where every row shows a single changed cell that no other rule can pin on a lead.
// A row without a Lead ID whose Name is the pulled Name of a lead M, and which shows more than half of
// M's non-empty pulled values, is M's row: with its ID cleared when M's ID is nowhere in the sheet, or
// moved away from it when M's ID is on a row that no longer shows M's name. A new row that only shares
// a name with a lead whose row still shows it is a new lead.
// Editing some fields of a lead, or retyping its name, never meets these: A and B need the row to show
// another lead's exact Name, A needs a second field equal to that lead's, C needs every field replaced.
import type { CellValue } from '../ports';
import type { BoundColumn } from './changes';
import { showsPulled } from './pulled-value';
import { isBlankCell, leadIdAt, type SheetTable } from './lead-sheet';
import { MovedValueFinder } from './moved-values';
import { type ChangedRow, type MovedColumn, SortedColumnFinder } from './sorted-column';
import type { LeadValues, Snapshot } from './snapshot';

/** How many changed fields rule A needs, and rows rule B needs; values rule C needs. */
const MIN_MATCHED_FIELDS = 2;
const MIN_PERMUTED_ROWS = 2;
const MIN_ALL_CHANGED_VALUES = 4;

export interface GuardRow {
  /** Index into table.rows. */
  index: number;
  leadId: string;
}

export interface GuardContext {
  table: SheetTable;
  editable: BoundColumn[];
  snapshot: Snapshot;
  /** Every Lead ID in the sheet → the row indexes holding it. */
  rowsOfId: Map<string, number[]>;
  /** What the rows are ("lead", "contact"), for messages. */
  noun: string;
  /** Whether a row without an ID creates one (leads) or is refused anyway (contacts, opportunities). */
  canCreate?: boolean;
}

function isEmptyValue(v: unknown): boolean {
  return v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
}

/** Whether a cell shows a pulled API value (as encode would write it; the value may be a hash). */
function shows(bound: BoundColumn, cell: CellValue, value: unknown): boolean {
  return showsPulled(bound, cell, value);
}

function nameText(bound: BoundColumn, value: unknown): string {
  return String(bound.codec.encode(value ?? null)).trim();
}

export class RowGuards {
  private readonly nameBound: BoundColumn | undefined;
  private byName: Map<string, string[]> | null = null;

  private readonly values: MovedValueFinder;
  private readonly columns: SortedColumnFinder;

  constructor(private readonly ctx: GuardContext) {
    this.nameBound = ctx.editable.find((b) => b.column.key === 'name');
    this.values = new MovedValueFinder({
      editable: ctx.editable,
      pulled: (id) => this.pulled(id),
      ids: () => ctx.snapshot.ids(),
      cell: (index, bound) => this.cell(index, bound),
      column: (bound) => ctx.table.columnOf.get(bound.column.key)!,
      rowsOfId: ctx.rowsOfId,
    });
    this.columns = new SortedColumnFinder({
      pulled: (id) => this.pulled(id),
      cell: (index, bound) => this.cell(index, bound),
      leadAt: (index) => leadIdAt(ctx.table, index),
      rowCount: ctx.table.rows.length,
    });
  }

  private cell(index: number, bound: BoundColumn): CellValue {
    return this.ctx.table.rows[index][this.ctx.table.columnOf.get(bound.column.key)! - 1] ?? '';
  }

  private pulled(leadId: string): LeadValues | undefined {
    const { snapshot } = this.ctx;
    if (!snapshot.has(leadId) || snapshot.isGone(leadId)) return undefined;
    return snapshot.get(leadId);
  }

  /** Pulled names → lead ids (built once, when a row first needs it). */
  private leadsNamed(name: string): string[] {
    if (!this.byName) {
      this.byName = new Map();
      const bound = this.nameBound!;
      for (const id of this.ctx.snapshot.ids()) {
        const values = this.pulled(id);
        if (!values) continue;
        // Nameless leads too (under ''): a row whose Name became empty may hold one's values.
        const text = nameText(bound, values[bound.column.key]);
        const list = this.byName.get(text);
        if (list) list.push(id);
        else this.byName.set(text, [id]);
      }
    }
    return this.byName.get(name) ?? [];
  }

  private label(leadId: string): string {
    const name = this.nameBound ? nameText(this.nameBound, this.pulled(leadId)?.name) : '';
    return name ? `${leadId} (${name})` : leadId;
  }

  private movedMessage(from: string): string {
    const { noun } = this.ctx;
    if (this.ctx.rowsOfId.has(from))
      return (
        `Looks like this row's values belong to ${noun} ${this.label(from)} — the sheet may have been sorted ` +
        `or pasted without its ID column. Not sent. Use Edit › Undo to put the rows back (sort with ` +
        `Data › Sort sheet, so each row keeps its ID), then push again.`
      );
    return (
      `Looks like this row's values belong to ${noun} ${this.label(from)}, whose ID is no longer in the ` +
      `sheet — this row's ID may have been pasted over. Not sent. Use Edit › Undo, or put ${from} back in ` +
      `its ID cell, then push again.`
    );
  }

  private movedValuesMessage(from: string, fields: BoundColumn[]): string {
    const { noun } = this.ctx;
    const headers = fields.map((b) => b.column.header);
    const list =
      headers.length === 1
        ? headers[0]
        : `${headers.slice(0, -1).join(', ')} and ${headers[headers.length - 1]}`;
    const where = this.ctx.rowsOfId.has(from)
      ? `Part of the sheet may have been sorted or pasted without its ID column, moving only these columns.`
      : `Its ID is no longer in the sheet: this row's ID may have been pasted over.`;
    return (
      `Looks like this row's ${list} belong to ${noun} ${this.label(from)}, not to this row's ${noun}. ${where} ` +
      `Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again. ` +
      `If you did mean to give it those values, enter and push them one field at a time.`
    );
  }

  /**
   * The pulled rows (with edits) whose values belong to another lead: row index → the message for the
   * row's Sync status. Rows not in the map are the rep's own edits.
   */
  movedRows(rows: GuardRow[]): Map<number, string> {
    const flagged = new Map<number, string>();
    const chained: Array<{ index: number; from: string }> = [];
    const changedRows: ChangedRow[] = [];
    for (const { index, leadId } of rows) {
      const own = this.pulled(leadId);
      if (!own) continue;
      const changed = this.ctx.editable.filter((b) => !shows(b, this.cell(index, b), own[b.column.key]));
      if (changed.length === 0) continue;
      changedRows.push({ index, leadId, changed });
      const name = this.nameBound;
      if (name && changed.includes(name)) {
        const text = String(this.cell(index, name)).trim();
        const candidates = this.leadsNamed(text).filter((m) => m !== leadId);
        // A: the row as a whole is another lead's pulled row (give or take an unpushed edit of its own).
        // A row whose Name became empty may hold a nameless lead's values: that takes a third field.
        const needed = text ? MIN_MATCHED_FIELDS : MIN_MATCHED_FIELDS + 1;
        const whole = candidates.find((m) => {
          const values = this.pulled(m)!;
          const same = changed.filter((b) => shows(b, this.cell(index, b), values[b.column.key])).length;
          return same >= needed && same > changed.length - same;
        });
        if (whole) {
          flagged.set(index, this.movedMessage(whole));
          continue;
        }
        // B: the other lead's name left its own row too.
        const away = (text ? candidates : []).find((m) => {
          const at = this.ctx.rowsOfId.get(m);
          return !at || at.every((i) => String(this.cell(i, name)).trim() !== text);
        });
        if (away) {
          chained.push({ index, from: away });
          continue;
        }
      }
      // C: every value the lead had is gone from its row.
      const filled = this.ctx.editable.filter((b) => !isEmptyValue(own[b.column.key]));
      if (
        name &&
        filled.length >= MIN_ALL_CHANGED_VALUES &&
        filled.includes(name) &&
        filled.every((b) => changed.includes(b) && !isBlankCell(this.cell(index, b)))
      )
        flagged.set(
          index,
          `Every field of this row differs from what was pulled for ${this.ctx.noun} ${this.label(leadId)}: ` +
            `its values may belong to another ${this.ctx.noun} (a sort or a paste without the ID column). ` +
            `Not sent. Use Edit › Undo to put the rows back; if you did mean to change every field, push ` +
            `some of them first and the rest after.`,
        );
    }
    if (chained.length >= MIN_PERMUTED_ROWS)
      for (const { index, from } of chained) flagged.set(index, this.movedMessage(from));
    // D (moved-values.ts): values moved between rows without their Name (or in a sheet without one).
    const rest = rows.filter((r) => !flagged.has(r.index));
    const { moved, inBlock } = this.values.find(rest);
    for (const { index, from, fields } of moved) flagged.set(index, this.movedValuesMessage(from, fields));
    for (const b of inBlock)
      flagged.set(
        b.index,
        `This row is inside a block that looks sorted or pasted without its ID column (rows ` +
          `${b.firstIndex + 2}–${b.lastIndex + 2}, ${b.firstHeader} to ${b.lastHeader}): its values there ` +
          `may be another ${this.ctx.noun}'s. Not sent. Use Edit › Undo to put the values back, then push again.`,
      );
    // E (sorted-column.ts): one column's values sorted or shifted among rows on their own. It looks at
    // every edited row (a column sorted alongside rows A–D caught still balances), holds the rest.
    const byRow = new Map<number, MovedColumn[]>();
    for (const m of this.columns.find(changedRows)) {
      if (flagged.has(m.index)) continue;
      const list = byRow.get(m.index);
      if (list) list.push(m);
      else byRow.set(m.index, [m]);
    }
    for (const [index, moves] of byRow) flagged.set(index, this.movedColumnMessage(moves));
    return flagged;
  }

  /** Rule E's status: which column(s) of the row moved, how, over which rows, and how to put them back. */
  private movedColumnMessage(moves: MovedColumn[]): string {
    const { noun } = this.ctx;
    const how = (m: MovedColumn): string => {
      const where = `${m.bound.column.header} in rows ${m.firstIndex + 2}–${m.lastIndex + 2}`;
      if (m.move === 'ascending' || m.move === 'descending')
        return `${where} holds the values pulled for those same rows in another order (sorted ${m.move === 'ascending' ? 'A to Z' : 'Z to A'}): the column looks sorted on its own, without its ID column`;
      const up = m.move === 'up' || m.move === 'vacated-up';
      return `${where} shows the values pulled for the row ${up ? 'below' : 'above'} each (pasted one row ${up ? 'up' : 'down'}, without its ID column)`;
    };
    const undo =
      'Not sent. Use Edit › Undo to put the values back (sorting by the ID column cannot), then push again.';
    const taken = moves.filter((m) => m.move !== 'vacated-down' && m.move !== 'vacated-up');
    if (taken.length === 0) {
      const [m] = moves;
      const down = m.move === 'vacated-down';
      return `This row's ${m.bound.column.header} was emptied when its value moved to the row ${down ? 'below' : 'above'}: ${how(m)}. ${undo}`;
    }
    const headers = taken.map((m) => m.bound.column.header);
    const list =
      headers.length === 1
        ? headers[0]
        : `${headers.slice(0, -1).join(', ')} and ${headers[headers.length - 1]}`;
    const owners = [...new Set(taken.map((m) => m.from))];
    const owner = owners.length === 1 && owners[0] ? `${noun} ${this.label(owners[0])}` : `other ${noun}s`;
    return (
      `Looks like this row's ${list} ${headers.length === 1 ? 'belongs' : 'belong'} to ${owner}, not to this ` +
      `row's ${noun}: ${moves.map(how).join('; ')}. ${undo} If you did mean to give these rows each other's ` +
      `values, change and push them two rows at a time.`
    );
  }

  /**
   * For a row with no ID: the pulled lead it still shows, whose ID is no longer in the sheet (the
   * rep cleared it), or undefined for a genuinely new row.
   */
  clearedIdOf(index: number): string | undefined {
    const name = this.nameBound;
    if (!name) return this.clearedIdByValues(index);
    const text = String(this.cell(index, name)).trim();
    if (!text) return undefined;
    return this.leadsNamed(text).find((m) => {
      // M's ID still on a row that shows M's name: this row is a new one that happens to share it.
      const at = this.ctx.rowsOfId.get(m);
      if (at?.some((i) => String(this.cell(i, name)).trim() === text)) return false;
      const values = this.pulled(m)!;
      const filled = this.ctx.editable.filter((b) => !isEmptyValue(values[b.column.key]));
      const same = filled.filter((b) => shows(b, this.cell(index, b), values[b.column.key]));
      return same.length * 2 > filled.length;
    });
  }

  /**
   * In a sheet without a Name (opportunities), the object a row without an ID still shows: the one
   * pulled object, whose ID is nowhere in the sheet, of which the row shows at least two non-empty values
   * and more than half of all its non-empty ones. (Objects whose ID is still in the sheet are on their
   * own rows; a new row that resembles one is not a cleared ID.)
   */
  private clearedIdByValues(index: number): string | undefined {
    const found: string[] = [];
    for (const id of this.ctx.snapshot.ids()) {
      if (this.ctx.rowsOfId.has(id)) continue;
      const values = this.pulled(id);
      if (!values) continue;
      const filled = this.ctx.editable.filter((b) => !isEmptyValue(values[b.column.key]));
      const same = filled.filter((b) => shows(b, this.cell(index, b), values[b.column.key])).length;
      if (same >= MIN_MATCHED_FIELDS && same * 2 > filled.length) found.push(id);
      if (found.length > 1) return undefined;
    }
    return found[0];
  }

  clearedIdMessage(leadId: string): string {
    // Its ID is on another row, which shows other values: the rows were sorted without the ID column.
    if (this.ctx.rowsOfId.has(leadId)) return this.movedMessage(leadId);
    const what = this.ctx.canCreate === false ? 'not pushed' : 'not created again';
    return (
      `This row was pulled as ${this.ctx.noun} ${this.label(leadId)} and its ID was cleared: ${what}. ` +
      `Put ${leadId} back in its ID cell (or use Edit › Undo), then push again.`
    );
  }
}
