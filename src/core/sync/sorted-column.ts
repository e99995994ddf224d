// Rule E of the row guards: ONE column whose values were moved among rows on their own — Data › Sort
// range over a single editable column (or several single columns sorted one after another), or one
// column pasted one row off. Rules A–D need a Name or at least two changed cells per row pointing at one
// lead; here every row shows one changed cell, and a push would send each lead another lead's value.
//
// A single changed cell cannot say whose value it is, but a column can: after a sort, the column's cells
// over the sorted rows are the SAME values those rows' leads had when pulled, in another order, and that
// order is sorted. A rep's own bulk edit of a column is not like that:
//   - typing new values (or pasting them from elsewhere) brings values those rows' leads did not have;
//   - filling one value down brings one value many times: the rows that changed all show it, and none of
//     them had it, so it never balances out (each changed row adds one X and removes one non-X);
//   - swapping two leads' values by hand changes two rows: the rule needs at least MIN_ROWS (3) rows
//     changed in the run, so a swap passes (the message says to push such edits two rows at a time).
// So rule E holds back, within one column, the changed rows of a run of consecutive rows when
//   (sorted) the run's cells are in Sheets' sort order, ascending or descending, and its changed cells
//            are, as a multiset, the values pulled for the same rows' leads (give or take one value in
//            four: an unpushed edit carried along, a new row sorted in with them); or
//   (shifted) each cell of the run shows the value pulled for the row right above it (or right below):
//            a column pasted one row off. A fill-down cannot do that on more than one changed row (each
//            row would have to have had the value already).
// A row whose cell was emptied by the same move (the top of a column cut and pasted one row down) is held
// with them: pushing it would clear its lead's value.
//
// Sheets' sort order is not documented by Google (the SORT function's page and the Sort range help say
// nothing of types, case or collation). The reading here takes what every spreadsheet does alike —
// numbers (and dates) before text before booleans — and for text decides only what every collation
// orders the same way (compareText); a pair it cannot decide counts as "in order" either way, and empty
// cells may lead or trail the run. So a real sort is always seen as sorted, whatever the locale; what an
// undecided pair loosens, the balance of values (and the MIN_ROWS changed rows) still has to meet.
//
// Values are compared by keys: a cell's key is the hash of its decoded value (pulled-value.ts's
// `canonical`), which is exactly the hash the snapshot keeps for a long value — so a hashed pulled value
// is matched without knowing it. Cost: per column with at least MIN_ROWS changed rows, one pass over the
// rows between its first and last change, decoding only the changed cells and their neighbours.
import type { CellValue } from '../ports';
import { isDate } from '../schema/dates';
import type { BoundColumn } from './changes';
import { canonical, elementKey, Hashed, hashText } from './pulled-value';
import type { LeadValues } from './snapshot';

/** Changed rows a run needs (a swap of two rows by hand is an edit). */
const MIN_ROWS = 3;
/** A sorted run's changed cells may differ from its pulled values by one value in this many. */
const SLACK_PER = 4;

/**
 * How a column's values moved: sorted either way, or pasted one row down or up; `vacated-down` is the
 * row left empty above a column cut and pasted one row down (`vacated-up`: below one pasted up).
 */
export type ColumnMove = 'ascending' | 'descending' | 'down' | 'up' | 'vacated-down' | 'vacated-up';

export interface MovedColumn {
  index: number;
  bound: BoundColumn;
  move: ColumnMove;
  /** The run, as data row indexes (its first and last changed rows). */
  firstIndex: number;
  lastIndex: number;
  /** The one lead whose pulled value the cell shows, when there is one. */
  from?: string;
}

export interface ColumnSource {
  /** Pulled values of a lead still in Close; undefined for others. */
  pulled(leadId: string): LeadValues | undefined;
  cell(index: number, bound: BoundColumn): CellValue;
  /** The Lead ID on a data row ('' for none). */
  leadAt(index: number): string;
  rowCount: number;
}

export interface ChangedRow {
  index: number;
  leadId: string;
  /** The editable fields whose cells no longer show the lead's pulled values. */
  changed: BoundColumn[];
}

const BLANK = '';

/** A value's key (pulled or decoded from a cell): '' for empty, else the hash its canonical text has. */
function valueKey(bound: BoundColumn, value: unknown): string {
  if (value === null || value === undefined || value === '') return BLANK;
  if (value instanceof Hashed) return `#${value.hash}`;
  if (Array.isArray(value))
    return value.length === 0 ? BLANK : `[${value.map(elementKey).sort().join('\u0001')}`;
  return `#${hashText(canonical(value, bound.column.kind))}`;
}

/** Sort classes as spreadsheets order them: numbers and dates, then text, then booleans. */
function sortClass(cell: CellValue): number {
  if (typeof cell === 'number' || isDate(cell)) return 0;
  return typeof cell === 'string' ? 1 : 2;
}

/**
 * a against b in ascending order: negative, positive, or 0 for equal or for an order not every reading
 * of Sheets' collation agrees on. Both non-blank.
 */
function compare(a: CellValue, b: CellValue): number {
  const [ca, cb] = [sortClass(a), sortClass(b)];
  if (ca !== cb) return ca - cb;
  if (ca === 0) {
    const [x, y] = [isDate(a) ? a.getTime() : Number(a), isDate(b) ? b.getTime() : Number(b)];
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ca === 2) return Number(a) - Number(b);
  return compareText(String(a).toLowerCase(), String(b).toLowerCase());
}

const LETTER = /[a-z]/;
const DIGIT = /[0-9]/;
const LETTER_OR_DIGIT = /[a-z0-9]/;

/**
 * Two lower-cased texts by their first difference, only where every collation a spreadsheet may use
 * orders it the same way: two plain letters (a–z), or a digit against a letter (digits first); a text
 * that is the start of the other comes first when the rest holds a letter or digit. Anything else —
 * accents, punctuation and spaces (ignored by some collations), two digits (compared as numbers by some)
 * — is left undecided (0). Case never decides (the texts are lower-cased): Sheets sorts without it.
 */
function compareText(x: string, y: string): number {
  const n = Math.min(x.length, y.length);
  let i = 0;
  while (i < n && x.charCodeAt(i) === y.charCodeAt(i)) i++;
  if (i === n) {
    const rest = x.length > y.length ? x.slice(n) : y.slice(n);
    if (!LETTER_OR_DIGIT.test(rest)) return 0;
    return x.length - y.length;
  }
  const [c, d] = [x[i], y[i]];
  if (LETTER.test(c) && LETTER.test(d)) return c < d ? -1 : 1;
  if (DIGIT.test(c) && LETTER.test(d)) return -1;
  if (LETTER.test(c) && DIGIT.test(d)) return 1;
  return 0;
}

const isBlankCell = (cell: CellValue) => cell === '' || cell === null || cell === undefined;

export class SortedColumnFinder {
  constructor(private readonly src: ColumnSource) {}

  /** The rows (of `rows`, edited rows of pulled leads) whose cells in some column moved as rule E says. */
  find(rows: ChangedRow[]): MovedColumn[] {
    const byColumn = new Map<BoundColumn, Map<number, string>>();
    for (const r of rows)
      for (const b of r.changed) {
        const m = byColumn.get(b) ?? new Map<number, string>();
        byColumn.set(b, m);
        m.set(r.index, r.leadId);
      }
    const found: MovedColumn[] = [];
    for (const [bound, changed] of byColumn) {
      if (changed.size < MIN_ROWS) continue;
      new ColumnPass(this.src, bound, changed, found).run();
    }
    return found;
  }
}

/** Rule E over one column. */
class ColumnPass {
  private readonly cellKeys = new Map<number, string>();
  private readonly pulledKeys = new Map<string, string | null>();
  private readonly indexes: number[];
  private readonly held = new Set<number>();
  /** hits[k]: how many of the first k changed rows show a value pulled for some changed row. */
  private hits = new Int32Array(0);

  constructor(
    private readonly src: ColumnSource,
    private readonly bound: BoundColumn,
    /** Changed rows of this column: index → Lead ID. */
    private readonly changed: Map<number, string>,
    private readonly found: MovedColumn[],
  ) {
    this.indexes = [...changed.keys()].sort((a, b) => a - b);
  }

  run(): void {
    // Shifts first: they name the very lead each value came from (a shifted run may also look sorted).
    this.shiftedRuns(1, 'down');
    this.shiftedRuns(-1, 'up');
    // A sorted run needs most of its changed cells to show a value pulled for one of the changed rows:
    // counted once (prefix sums over the changed rows), so a column of typed values — a 5,000-row push of
    // new Descriptions — is dismissed without walking or balancing anything.
    const pulled = new Set(this.indexes.map((i) => this.pulledKey(this.changed.get(i)!)));
    this.hits = new Int32Array(this.indexes.length + 1);
    this.indexes.forEach((i, k) => {
      this.hits[k + 1] = this.hits[k] + (pulled.has(this.cellKey(i)) ? 1 : 0);
    });
    if (this.hits[this.indexes.length] >= MIN_ROWS) this.sortedRuns();
  }

  private cellKey(index: number): string {
    let key = this.cellKeys.get(index);
    if (key === undefined) {
      const cell = this.src.cell(index, this.bound);
      if (isBlankCell(cell)) key = BLANK;
      else {
        const decoded = this.bound.codec.decode(cell);
        // A cell no value reads from matches no pulled value.
        key = decoded.ok ? valueKey(this.bound, decoded.value) : `!${String(cell)}`;
      }
      this.cellKeys.set(index, key);
    }
    return key;
  }

  /** The key of what was pulled for a lead (null: no pulled lead). */
  private pulledKey(leadId: string): string | null {
    let key = this.pulledKeys.get(leadId);
    if (key === undefined) {
      const values = leadId ? this.src.pulled(leadId) : undefined;
      key = values ? valueKey(this.bound, values[this.bound.column.key] ?? null) : null;
      this.pulledKeys.set(leadId, key);
    }
    return key;
  }

  private hold(index: number, move: ColumnMove, firstIndex: number, lastIndex: number, from?: string): void {
    if (this.held.has(index)) return;
    this.held.add(index);
    this.found.push({ index, bound: this.bound, move, firstIndex, lastIndex, from });
  }

  /**
   * Runs of rows in sort order (each direction on its own), from the first changed row to the last; each
   * run with MIN_ROWS changed rows whose values balance against those rows' pulled values is held.
   */
  private sortedRuns(): void {
    const first = this.indexes[0];
    const last = this.indexes[this.indexes.length - 1];
    for (const sign of [1, -1] as const) {
      let start = first;
      /** 0: leading blanks; 1: values in order; 2: trailing blanks. */
      let phase = isBlankCell(this.src.cell(first, this.bound)) ? 0 : 1;
      let prev = this.src.cell(first, this.bound);
      let blanksFrom = first;
      for (let i = first + 1; i <= last; i++) {
        const cell = this.src.cell(i, this.bound);
        if (isBlankCell(cell)) {
          if (phase === 1) {
            phase = 2;
            blanksFrom = i;
          }
          continue;
        }
        if (phase === 0) phase = 1;
        else if (phase === 2) {
          // Values again after trailing blanks: a new run, which those blanks may lead.
          this.closeSorted(start, i - 1, sign);
          start = blanksFrom;
          phase = 1;
        } else if (compare(prev, cell) * sign > 0) {
          this.closeSorted(start, i - 1, sign);
          start = i;
        }
        prev = cell;
      }
      this.closeSorted(start, last, sign);
    }
  }

  /** The position in `indexes` of the first changed row at or after `index`. */
  private firstAtOrAfter(index: number): number {
    let [lo, hi] = [0, this.indexes.length];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.indexes[mid] < index) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private closeSorted(start: number, end: number, sign: 1 | -1): void {
    const from = this.firstAtOrAfter(start);
    const to = this.firstAtOrAfter(end + 1);
    if (to - from < MIN_ROWS) return;
    // Cells that show no changed row's pulled value can only be unmatched.
    if (to - from - (this.hits[to] - this.hits[from]) > Math.floor((to - from) / SLACK_PER)) return;
    const rows = this.indexes.slice(from, to);
    // The changed cells against the pulled values of their rows' leads, as multisets.
    const balance = new Map<string, number>();
    const leadsWith = new Map<string, string[]>();
    for (const i of rows) {
      const cell = this.cellKey(i);
      const leadId = this.changed.get(i)!;
      const pulled = this.pulledKey(leadId) ?? `?${leadId}`;
      balance.set(cell, (balance.get(cell) ?? 0) + 1);
      balance.set(pulled, (balance.get(pulled) ?? 0) - 1);
      const list = leadsWith.get(pulled);
      if (list) list.push(leadId);
      else leadsWith.set(pulled, [leadId]);
    }
    let unmatched = 0;
    for (const n of balance.values()) if (n > 0) unmatched += n;
    if (unmatched > Math.floor(rows.length / SLACK_PER)) return;
    const move = sign === 1 ? 'ascending' : 'descending';
    for (const i of rows) {
      const from = leadsWith.get(this.cellKey(i));
      this.hold(i, move, rows[0], rows[rows.length - 1], from?.length === 1 ? from[0] : undefined);
    }
  }

  /** Whether row i shows the value pulled for the row `offset` above it (below, for -1). */
  private showsNeighbour(i: number, offset: 1 | -1): boolean {
    const j = i - offset;
    if (j < 0 || j >= this.src.rowCount) return false;
    const key = this.pulledKey(this.src.leadAt(j));
    return key !== null && key === this.cellKey(i);
  }

  /**
   * Runs of consecutive rows each showing the value pulled for its neighbour (`offset` 1: the row above,
   * a column pasted one row down), with MIN_ROWS changed rows among them. Unchanged rows may sit in the
   * run where a lead had the same value as the one above it.
   */
  private shiftedRuns(offset: 1 | -1, move: 'down' | 'up'): void {
    let run: number[] = [];
    let end = -2;
    const close = () => {
      if (run.length >= MIN_ROWS) {
        const [a, b] = [run[0], run[run.length - 1]];
        for (const i of run) this.hold(i, move, a, b, this.src.leadAt(i - offset));
        // The row the values left (a cut and pasted column): emptied, it would clear its lead's value.
        const vacated = offset === 1 ? a - 1 : b + 1;
        if (this.changed.has(vacated) && this.cellKey(vacated) === BLANK)
          this.hold(vacated, offset === 1 ? 'vacated-down' : 'vacated-up', a, b);
      }
      run = [];
    };
    for (const i of this.indexes) {
      if (!this.showsNeighbour(i, offset)) {
        close();
        continue;
      }
      // Unchanged rows between the run and this row must show their neighbour's value too.
      let bridged = run.length > 0;
      for (let k = end + 1; bridged && k < i; k++) bridged = this.showsNeighbour(k, offset);
      if (!bridged) close();
      run.push(i);
      end = i;
    }
    close();
  }
}
