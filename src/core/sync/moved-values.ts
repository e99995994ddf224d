// Moved values without a name: rows whose changed cells are, together, exactly one other lead's pulled
// values, while that lead's own row lost them. Rules A–C of row-guards.ts follow the Name; a sort of
// part of the sheet that leaves the Name behind too (Data › Sort range over a few custom-field columns),
// a block of such columns pasted one row off, and an opportunity sheet (which has no Name at all) move
// values between rows without it. Those rows would send one lead's values to another.
//
// Rule D, for an edited row R of lead L, with D the editable fields whose cells no longer show L's
// pulled values:
//   - of D, at least two non-empty cells show another lead M's pulled values, at most one field of D
//     does not (an unpushed edit carried along), and M is the ONLY pulled lead that matches so — a
//     combination of values that points at one lead, not a value many leads share;
//   - and the values moved rather than were copied: M's own row no longer shows them (or M is not in the
//     sheet), or L's own pulled values turned up on another such row (the head of a shifted block);
//   - on at least two rows.
// A rep who copies one lead's values onto another leaves the source row as it was, so a copy is an edit.
// A rep who really trades two leads' values (both rows changed, each showing the other's unique
// combination) meets the rule; the message says to enter and push such values one field at a time,
// which passes (one changed field is never enough).
import type { CellValue } from '../ports';
import { isDate } from '../schema/dates';
import type { BoundColumn } from './changes';
import { isBlankCell } from './lead-sheet';
import type { LeadValues } from './snapshot';
import { Hashed, hashText, isHashed, showsPulled } from './pulled-value';

const MIN_MATCHED_VALUES = 2;
const MIN_ROWS = 2;
/** Leads sharing a lookup value above which only leads matching both lookup fields are considered. */
const WIDE_BUCKET = 500;

export interface ValueSource {
  editable: BoundColumn[];
  /** Pulled values of a lead still in Close; undefined for others. */
  pulled(leadId: string): LeadValues | undefined;
  /** Every lead the snapshot knows. */
  ids(): Iterable<string>;
  cell(index: number, bound: BoundColumn): CellValue;
  /** The sheet column (1-based) a field is in. */
  column(bound: BoundColumn): number;
  /** Lead ID → the row indexes holding it. */
  rowsOfId: Map<string, number[]>;
}

export interface MovedValues {
  index: number;
  /** The lead whose pulled values the row shows. */
  from: string;
  /** The fields that show them. */
  fields: BoundColumn[];
}

/** An edited row next to moved rows, with changes in their columns: part of the same sorted block. */
export interface InMovedBlock {
  index: number;
  /** The block: data row indexes and the headers of its first and last columns. */
  firstIndex: number;
  lastIndex: number;
  firstHeader: string;
  lastHeader: string;
}

function shows(bound: BoundColumn, cell: CellValue, value: unknown): boolean {
  return showsPulled(bound, cell, value);
}

/**
 * A value's key for looking leads up by it, the same for a cell and for what encode writes; null for
 * what cannot be keyed that way (dates: a date cell reads back as a Date where encode wrote a serial).
 */
function lookupKey(bound: BoundColumn, cell: CellValue): string | null {
  if (bound.column.kind === 'date' || bound.column.kind === 'datetime' || isDate(cell)) return null;
  if (typeof cell === 'number') return Number.isFinite(cell) ? `n${Number(cell.toPrecision(12))}` : null;
  if (typeof cell === 'string') return cell.trim() === '' ? null : `s${cell}`;
  return `b${cell}`;
}

/**
 * A pulled value's lookup key: a value the snapshot kept as a hash (pulled-value.ts) by its hash, which
 * a cell showing it as written matches (cellKeys).
 */
function pulledKey(bound: BoundColumn, value: unknown): string | null {
  if (value instanceof Hashed)
    return bound.column.kind === 'date' || bound.column.kind === 'datetime' ? null : `#${value.hash}`;
  if (isHashed(value)) return null;
  return lookupKey(bound, bound.codec.encode(value ?? null));
}

/** The keys a cell is looked up by: its own, and the hash of the text or number it shows. */
function cellKeys(bound: BoundColumn, cell: CellValue): string[] {
  const key = lookupKey(bound, cell);
  if (key === null) return [];
  if (typeof cell === 'string') return [key, `#${hashText(`s${cell}`)}`];
  if (typeof cell === 'number') return [key, `#${hashText(`n${cell}`)}`];
  return [key];
}

export class MovedValueFinder {
  private readonly byValue = new Map<BoundColumn, Map<string, string[]>>();

  constructor(private readonly src: ValueSource) {}

  /** Pulled leads by their value of a field (built once per field, when a row first needs it). */
  private leadsWith(bound: BoundColumn): Map<string, string[]> {
    let map = this.byValue.get(bound);
    if (!map) {
      map = new Map();
      for (const id of this.src.ids()) {
        const values = this.src.pulled(id);
        if (!values) continue;
        const key = pulledKey(bound, values[bound.column.key] ?? null);
        if (key === null) continue;
        const list = map.get(key);
        if (list) list.push(id);
        else map.set(key, [id]);
      }
      this.byValue.set(bound, map);
    }
    return map;
  }

  /** The one other lead whose pulled values the row's changed cells show, or undefined. */
  private sourceOf(index: number, leadId: string, changed: BoundColumn[]): MovedValues | undefined {
    const { src } = this;
    const buckets = changed
      .map((b) => {
        const keys = cellKeys(b, src.cell(index, b));
        if (keys.length === 0) return null;
        const map = this.leadsWith(b);
        return [...new Set(keys.flatMap((k) => map.get(k) ?? []))];
      })
      .filter((list): list is string[] => list !== null)
      .sort((a, b) => a.length - b.length);
    if (buckets.length < MIN_MATCHED_VALUES) return undefined;
    const [first, second] = buckets;
    // A lead that matches all but one changed field matches at least one of the two most selective.
    const both = second.length > WIDE_BUCKET ? new Set(second) : null;
    const candidates = both ? first.filter((id) => both.has(id)) : [...new Set([...first, ...second])];
    const found: MovedValues[] = [];
    for (const m of candidates) {
      if (m === leadId) continue;
      const values = src.pulled(m)!;
      const fields = changed.filter((b) => shows(b, src.cell(index, b), values[b.column.key]));
      const filled = fields.filter((b) => !isBlankCell(src.cell(index, b))).length;
      const missed = changed.length - fields.length;
      if (filled >= MIN_MATCHED_VALUES && missed <= 1 && fields.length > missed)
        found.push({ index, from: m, fields });
      if (found.length > 1) return undefined;
    }
    return found[0];
  }

  /** Whether M's own rows still show the values the row took from it (then the row holds a copy). */
  private stillAtSource(match: MovedValues): boolean {
    const at = this.src.rowsOfId.get(match.from);
    if (!at) return false;
    const values = this.src.pulled(match.from)!;
    return at.some((i) => match.fields.every((b) => shows(b, this.src.cell(i, b), values[b.column.key])));
  }

  /**
   * The rows (among `rows`, edited rows of pulled leads) that meet rule D, and the edited rows around
   * them that are part of the same block.
   */
  find(rows: Array<{ index: number; leadId: string }>): { moved: MovedValues[]; inBlock: InMovedBlock[] } {
    const changedAt = new Map<number, BoundColumn[]>();
    const matches: Array<MovedValues & { leadId: string; moved: boolean }> = [];
    for (const { index, leadId } of rows) {
      const own = this.src.pulled(leadId);
      if (!own) continue;
      const changed = this.src.editable.filter((b) => !shows(b, this.src.cell(index, b), own[b.column.key]));
      changedAt.set(index, changed);
      if (changed.length < MIN_MATCHED_VALUES) continue;
      const match = this.sourceOf(index, leadId, changed);
      if (match) matches.push({ ...match, leadId, moved: !this.stillAtSource(match) });
    }
    // The head of a shifted block took its values from a row that kept them, but its own values moved on
    // to a flagged row: flagged too (and so on up the chain).
    const flagged = new Set(matches.filter((m) => m.moved));
    const byLead = new Map(matches.map((m) => [m.leadId, m]));
    const queue = [...flagged].map((m) => m.from);
    while (queue.length > 0) {
      const head = byLead.get(queue.pop()!);
      if (head && !flagged.has(head)) {
        flagged.add(head);
        queue.push(head.from);
      }
    }
    if (flagged.size < MIN_ROWS) return { moved: [], inBlock: [] };
    const moved = [...flagged].map(({ index, from, fields }) => ({ index, from, fields }));
    return { moved, inBlock: this.blockAround(moved, changedAt) };
  }

  /**
   * Rows of a sorted block that rule D cannot pin on one lead (values that became empty, or one value
   * many leads share) would still send another lead's values. So the edited rows right above and below
   * the moved rows (no unedited row between), changed within the moved columns, are held back with them.
   */
  private blockAround(moved: MovedValues[], changedAt: Map<number, BoundColumn[]>): InMovedBlock[] {
    const columns = moved.flatMap((m) => m.fields).map((b) => [this.src.column(b), b] as const);
    const first = columns.reduce((a, b) => (b[0] < a[0] ? b : a));
    const last = columns.reduce((a, b) => (b[0] > a[0] ? b : a));
    const inColumns = (index: number) =>
      (changedAt.get(index) ?? []).some((b) => {
        const c = this.src.column(b);
        return c >= first[0] && c <= last[0];
      });
    const isMoved = new Set(moved.map((m) => m.index));
    const held: InMovedBlock[] = [];
    const seen = new Set<number>();
    for (const start of [...isMoved].sort((a, b) => a - b)) {
      if (seen.has(start)) continue;
      let lo = start;
      let hi = start;
      while (isMoved.has(lo - 1) || inColumns(lo - 1)) lo--;
      while (isMoved.has(hi + 1) || inColumns(hi + 1)) hi++;
      for (let i = lo; i <= hi; i++) {
        seen.add(i);
        if (!isMoved.has(i))
          held.push({
            index: i,
            firstIndex: lo,
            lastIndex: hi,
            firstHeader: first[1].column.header,
            lastHeader: last[1].column.header,
          });
      }
    }
    return held;
  }
}
