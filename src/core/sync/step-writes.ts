// How much a pull step may still fetch. A step writes everything it fetched at its end (rows, then
// snapshot entries, then its progress), and Apps Script kills an execution mid-write at 6 minutes: a
// step killed there is redone from its start, and one whose writes alone pass the limit is killed again
// every time. So a step keeps an estimate of the writes it has pending — cells, characters and calls,
// priced by the same per-call, per-cell and per-byte costs the benchmark charges (../sheet-cost.ts) —
// and takes a page only while fetching so far plus writing everything taken still ends inside its
// budget; the rest is the next step's.
import { readMs, type SheetCost, writeMs } from '../sheet-cost';
import type { DirtyCells } from './dirty-cells';
import type { Deadline } from './job';
import type { Snapshot } from './snapshot';

/** Kept at a step's end for recording its progress (the job record, the trigger, the progress note). */
export const RECORD_MS = 5_000;
/** Cells per data setValues call (pull-write.ts) and rows per snapshot call (snapshot.ts), for the call count. */
const CELLS_PER_WRITE = 600_000;
const SNAPSHOT_ROWS_PER_WRITE = 20_000;
/** A snapshot row: Lead ID, generation code, and the values cell (snapshot.ts). */
const SNAPSHOT_CELLS = 3;
/**
 * Characters of a snapshot row: its id and marks, and about five a value (most values are a
 * six-character hash, empty ones one character: snapshot.ts, format 3). 10,000 leads × 40 custom
 * fields write 2.2 MB of snapshot, about 220 a row.
 */
const SNAPSHOT_ROW_CHARS = 24;
const SNAPSHOT_VALUE_CHARS = 5;
/** A cell's characters before any is known (the first page of a step, sized by it). */
const FIRST_CELL_CHARS = 16;

export interface StepShape {
  /** Cells of a new row (every managed column). */
  rowCells: number;
  /** Values in a lead's snapshot row (its editable columns). */
  snapshotValues: number;
  /** Calls the step's writes make whatever they hold (headers, formats, notes, dropdowns, the job). */
  fixedCalls: number;
}

export class StepWrites {
  private leads = 0;
  private snapshot: Pick<Snapshot, 'pendingRows'> = { pendingRows: 0 };

  constructor(
    private readonly cost: SheetCost,
    private readonly deadline: Deadline,
    private readonly dirty: DirtyCells,
    private readonly shape: StepShape,
  ) {}

  /** The snapshot the step's entries go to, once read. */
  writesTo(snapshot: Pick<Snapshot, 'pendingRows'>): void {
    this.snapshot = snapshot;
  }

  /** Whether the step has placed nothing yet. */
  empty(): boolean {
    return this.leads === 0;
  }

  /** Leads placed this step (their writes are pending). */
  placed(leads: number): void {
    this.leads += leads;
  }

  /** What writing everything placed so far will take, in ms. */
  pendingMs(): number {
    const cells = this.dirty.cellCount;
    const rows = this.snapshot.pendingRows;
    return writeMs(this.cost, {
      calls:
        this.shape.fixedCalls +
        Math.ceil(cells / CELLS_PER_WRITE) +
        Math.ceil(rows / SNAPSHOT_ROWS_PER_WRITE),
      cells: cells + rows * SNAPSHOT_CELLS,
      bytes: this.dirty.charCount + rows * this.snapshotRowChars(),
    });
  }

  /**
   * What one more lead's writes take: the average of those placed this step (a refresh rewrites only
   * what changed), or a new row's before any is placed.
   */
  perLeadMs(): number {
    if (this.leads > 0) {
      const fixed = writeMs(this.cost, { calls: this.shape.fixedCalls, cells: 0, bytes: 0 });
      return (this.pendingMs() - fixed) / this.leads;
    }
    const { rowCells } = this.shape;
    return writeMs(this.cost, {
      calls: 0,
      cells: rowCells + SNAPSHOT_CELLS,
      bytes: rowCells * FIRST_CELL_CHARS + this.snapshotRowChars(),
    });
  }

  /** Whether `leads` more leads can be placed and everything still written inside the step's budget. */
  fits(leads: number): boolean {
    return this.pendingMs() + leads * this.perLeadMs() <= this.roomMs();
  }

  /** Whether a page of `leads` is taken: when it fits, and always the step's first (every step moves on). */
  readonly admit = (leads: number): boolean => this.leads === 0 || this.fits(leads);

  /** How many more leads fit (the next wave asks for no more pages than that). */
  leadsThatFit(): number {
    const room = this.roomMs() - this.pendingMs();
    return room <= 0 ? 0 : Math.floor(room / Math.max(this.perLeadMs(), 1e-6));
  }

  /**
   * Clock time after which no request may wait to be sent: the pending writes, and those of the `leads`
   * being fetched, must still fit.
   */
  stopAt(leads = 0): number {
    return this.deadline.stopAt(
      this.pendingMs() + leads * this.perLeadMs() + this.deadline.reserve(RECORD_MS),
    );
  }

  private roomMs(): number {
    return this.deadline.timeLeft() - this.deadline.reserve(RECORD_MS);
  }

  private snapshotRowChars(): number {
    return SNAPSHOT_ROW_CHARS + SNAPSHOT_VALUE_CHARS * this.shape.snapshotValues;
  }
}

/**
 * A push or undo step's writes at its end, per lead it recorded: its Sync status cell, its snapshot
 * row and a push-log row of 12 cells (a lead usually has one or two changed fields).
 */
const RESULT_CELLS_PER_LEAD = 1 + SNAPSHOT_CELLS + 12;
const RESULT_CHARS_PER_LEAD = 80 + 250 + 150;
/** Characters of a sheet cell, to price reading the sheet again (numbers, names, short texts). */
const SHEET_CELL_CHARS = 10;
const RESULT_CALLS = 12;

/**
 * The writes a step does at its end for `n` items (leads recorded, rows added), priced by `ms`: a step
 * starts another batch only while they still fit before its deadline, and no request waits past stopAt.
 */
abstract class EndOfStepWrites {
  constructor(
    protected readonly cost: SheetCost,
    protected readonly deadline: Deadline,
    /** The sheet as read at the step's start: its data rows and width. */
    protected readonly sheet: { rows: number; width: number },
  ) {}

  abstract ms(n: number): number;

  /** Clock time after which no request may wait to be sent, with `n` to write at most. */
  stopAt(n: number): number {
    return this.deadline.stopAt(this.ms(n) + this.deadline.reserve(RECORD_MS));
  }

  /** Whether a batch may start with `n` to write once it is done. */
  fits(n: number): boolean {
    return this.deadline.timeLeft() - this.deadline.reserve(RECORD_MS) > this.ms(n);
  }
}

/**
 * How much a push or undo step may still send: at its end it reads the sheet again (rows may have
 * moved meanwhile), writes the Sync status column, and the snapshot and push-log rows of every lead
 * it recorded. A step starts another batch only while all of that, for the leads recorded so far and
 * the batch, still fits before its deadline.
 */
export class ResultWrites extends EndOfStepWrites {
  /** The writes (and the read before them) for `leads` recorded leads, in ms. */
  ms(leads: number): number {
    const { rows, width } = this.sheet;
    return (
      readMs(this.cost, { calls: 2, cells: rows * width, bytes: rows * width * SHEET_CELL_CHARS }) +
      writeMs(this.cost, {
        calls: RESULT_CALLS,
        cells: rows + leads * RESULT_CELLS_PER_LEAD,
        bytes: rows * SHEET_CELL_CHARS + leads * RESULT_CHARS_PER_LEAD,
      })
    );
  }
}

/**
 * An activities pull's writes at its step's end (activities/pull.ts): the sheet's rows read, then
 * written back whole when any was refreshed, and the new rows after them, `width` cells each.
 */
export class TableWrites extends EndOfStepWrites {
  ms(newRows: number): number {
    const { rows, width } = this.sheet;
    const cells = (rows + newRows) * width;
    return (
      readMs(this.cost, { calls: 1, cells: rows * width, bytes: rows * width * SHEET_CELL_CHARS }) +
      writeMs(this.cost, { calls: RESULT_CALLS, cells, bytes: cells * FIRST_CELL_CHARS })
    );
  }
}
