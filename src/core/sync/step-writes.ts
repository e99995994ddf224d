// How much a pull step may still fetch. A step writes everything it fetched at its end (rows, then
// snapshot entries, then its progress), and Apps Script kills an execution mid-write at 6 minutes: a
// step killed there is redone from its start, and one whose writes alone pass the limit is killed again
// every time. So a step keeps an estimate of the writes it has pending — cells, characters and calls,
// priced by the same per-call, per-cell and per-byte costs the benchmark charges (../sheet-cost.ts) —
// and takes a page only while fetching so far plus writing everything taken still ends inside its
// budget; the rest is the next step's.
import { readMs, type SheetCost, writeMs } from '../sheet-cost';
import type { DirtyCells } from './dirty-cells';
import { PUSH_LOG_HEADER } from './push-log-header';
import type { Deadline } from './job';
import { SNAPSHOT_COLUMNS, type Snapshot } from './snapshot';

/** Kept at a step's end for recording its progress (the job record, the trigger, the progress note). */
export const RECORD_MS = 5_000;
/** Cells per data setValues call (pull-write.ts) and rows per snapshot call (snapshot.ts), for the call count. */
const CELLS_PER_WRITE = 600_000;
const SNAPSHOT_ROWS_PER_WRITE = 20_000;
/** A snapshot row: the Lead ID and values in one cell, and the generation code (snapshot.ts, format 4). */
const SNAPSHOT_CELLS = SNAPSHOT_COLUMNS;
/**
 * Characters of a snapshot row: its id and marks, and about five a value (most values are a
 * six-character hash, empty ones one character: snapshot.ts, format 4 rows hold format 3 values).
 * 10,000 leads × 40 custom fields write 2.2 MB of snapshot, about 220 a row.
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
 * A push or undo step's writes at its end, per lead it recorded: its Sync status cell and its snapshot
 * row (two cells), then a push-log row per field (LogShape).
 */
const RESULT_CELLS_PER_LEAD = 1 + SNAPSHOT_CELLS;
/** A pushed lead's snapshot row: its id, generation and packed values. */
const RESULT_SNAPSHOT_CHARS = 250;
const RESULT_CHARS_PER_LEAD = 80 + RESULT_SNAPSHOT_CHARS;
/** Cells of a push-log row: one per column of its header (Push ID … Object). */
export const LOG_ROW_CELLS = PUSH_LOG_HEADER.length;

/**
 * What the push log gets per lead a step records: a row per field Close took (push-log.ts), each as long
 * as its ids, names, field key and header and its values before and after as JSON. A push prices it from
 * the edits it is about to send (push-log.ts logShape); a lead whose ten fields changed writes ten rows.
 */
export interface LogShape {
  /** Log rows per lead (its changed fields), on average over the step's leads. */
  rowsPerLead: number;
  /** Characters of one log row, on average. */
  charsPerRow: number;
}

/** One field a lead, of about 150 characters: a push's log before its edits are known. */
export const ONE_FIELD_LOG: LogShape = { rowsPerLead: 1, charsPerRow: 150 };
/** An undo appends nothing to the push log (its marks are UndoWrites.marks). */
export const NO_LOG: LogShape = { rowsPerLead: 0, charsPerRow: 0 };

/** What an undo step writes back besides the Sync status column (undo.ts updateSheet, push-log.ts markUndone). */
export interface UndoWrites {
  /** Columns of restored fields: each written over its restored rows' span (the whole sheet at worst). */
  columns: number;
  /** Rows of the push in the log: its Undone column is written over the span of the marks that change. */
  marks: number;
}
/** Characters of an Undone mark (`already back to the old value (rep@example.com at 2026-12-06 09:00)`). */
const MARK_CHARS = 80;
/** Characters of a sheet cell, to price reading the sheet again (numbers, names, short texts). */
const SHEET_CELL_CHARS = 10;
/**
 * Calls of the writes whatever they hold: the snapshot's (its extent, size, format, header, a block,
 * clearing after a compaction: 6), the push log's (its sheet, extent, size, rows, and trimming: 6) and
 * the Sync status column.
 */
const RESULT_CALLS = 13;
/** Characters a Sync status cell may hold after a push (`unchanged · 2026-12-06 09:00`, `updated · …`). */
const STATUS_CHARS = 40;
/** A Lead ID's characters (`lead_` and 43 more). */
const ID_CHARS = 48;
/** The push log is trimmed past this many rows: its Push ID column read first (push-log.ts). */
const LOG_TRIM_READ_CELLS = 20_000;
/**
 * Rectangles a created row's filled cells take (created-values.ts): one per run of managed columns
 * Close filled (the default columns: Status; Created and Updated; the opportunity counts), one more for a
 * cell the rep typed that splits a run.
 */
const CREATED_FILL_CALLS = 4;
/**
 * Reading the sheet's column bindings and extent again (readBindings: its extent and the header notes
 * of the top 10 rows; then its extent), and each header note's characters (a binding key and header).
 */
const REREAD_FIXED_CALLS = 5;
const HEADER_NOTE_ROWS = 10;
const NOTE_CHARS = 100;
/** Per recorded lead in the worst case: a run of its own in the snapshot (8 changed rows make a run). */
const SNAPSHOT_CALLS_PER_LEAD = 1 / 8;
/** Snapshot rows a recorded lead's write can rewrite along with it (unchanged rows joining two runs). */
const SNAPSHOT_FILLER_ROWS = 50;
/**
 * Apps Script kills an execution 6 minutes after it starts: 1.5 minutes past a full step budget. The worst
 * case of a step's writes (the rep moved rows meanwhile, so the whole sheet is read again; the snapshot
 * rewritten whole or in scattered runs) may run into a minute of that, the rest kept for what runs before
 * the step's clock starts. A shorter configured budget keeps a quarter of itself (Deadline.reserve).
 */
export const PAST_BUDGET_MS = 60_000;

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

/** What a push step's end reads again of the sheet when nothing moved: some columns, whole. */
export interface ReReadColumns {
  /** How many (Lead ID, Name, Sync status). */
  columns: number;
  /** Their characters as read at the step's start. */
  chars: number;
  /** Characters the Sync status column holds now (written back whole, with the results). */
  statusChars: number;
}

/**
 * How much a push or undo step may still send. At its end it writes the snapshot rows, push-log rows
 * and Sync status of every lead it recorded, and reads the sheet again first to find their rows: a
 * push only the columns it needs (`reread`) when nothing moved, the whole sheet when the rep sorted,
 * inserted, deleted or typed an ID or Name meanwhile (readSheetAgain); an undo the whole sheet and its
 * snapshot. Two prices: what the writes take when nothing moved (`ms`), which must fit the step's
 * budget, and their worst case (`worstMs`: the whole sheet read, the snapshot rewritten whole or in
 * scattered runs), which must end before Apps Script's limit — a step killed mid-write is redone.
 */
export class ResultWrites extends EndOfStepWrites {
  constructor(
    cost: SheetCost,
    deadline: Deadline,
    sheet: { rows: number; width: number },
    /** Omitted: the whole sheet is read again (undo). */
    private readonly reread?: ReReadColumns,
    /** Rows of the sheet's snapshot (a compaction rewrites them all). */
    private readonly snapshotRows = sheet.rows,
    /** The push-log rows a recorded lead adds. */
    private readonly log: LogShape = ONE_FIELD_LOG,
    /** An undo's write-backs besides the Sync status. */
    private readonly undo: UndoWrites = { columns: 0, marks: 0 },
  ) {
    super(cost, deadline, sheet);
  }

  /**
   * The writes (and the reads before them) for `leads` recorded leads when nothing moved, in ms.
   * `creating`: the number of new rows created too, each marked in its Sync status cell before its POST after a
   * read of the whole sheet (push.ts pushCreates), and given its Lead ID at the end.
   */
  ms(leads: number, creating = 0): number {
    return (
      this.readAgainMs(!this.reread) +
      this.writesMs(leads, 0, 0) +
      (creating ? this.creatingMs(creating, false) : 0)
    );
  }

  /** The same in the worst case: the sheet read whole, the snapshot's writes their largest. */
  worstMs(leads: number, creating = 0): number {
    const filler = Math.min(leads * SNAPSHOT_FILLER_ROWS, this.snapshotRows);
    const scattered = { calls: Math.ceil(leads * SNAPSHOT_CALLS_PER_LEAD), rows: filler };
    const compacted = { calls: 0, rows: this.snapshotRows };
    const worse = (x: { calls: number; rows: number }) => this.writesMs(leads, x.calls, x.rows);
    return (
      this.readAgainMs(true) +
      Math.max(worse(scattered), worse(compacted)) +
      (creating ? this.creatingMs(creating, true) : 0)
    );
  }

  /** Clock time after which no request may wait to be sent: both prices must still fit. */
  override stopAt(n: number): number {
    const { deadline } = this;
    const record = deadline.reserve(RECORD_MS);
    return Math.min(
      deadline.stopAt(this.ms(n) + record),
      deadline.stopAt(this.worstMs(n) + record - deadline.reserve(PAST_BUDGET_MS)),
    );
  }

  /**
   * The latest a step that has recorded nothing yet may wait to send its first batch (`n` to write):
   * its writes at their worst still end before Apps Script's limit. Past stopAt, but a step that ends
   * with nothing recorded is followed by one that starts as late and meets the same wait (plan.ts).
   */
  firstStopAt(n: number): number {
    const { deadline } = this;
    return deadline.stopAt(this.worstMs(n) + deadline.reserve(RECORD_MS) - deadline.reserve(PAST_BUDGET_MS));
  }

  /** Whether a batch may start with `n` to write once it is done: both prices must still fit. */
  override fits(n: number, creating = 0): boolean {
    const room = this.deadline.timeLeft() - this.deadline.reserve(RECORD_MS);
    return (
      room > this.ms(n, creating) && room + this.deadline.reserve(PAST_BUDGET_MS) > this.worstMs(n, creating)
    );
  }

  /**
   * Creating rows: the whole sheet read, its Sync status column written with the marks, Lead IDs written
   * (each column's formulas read first over the span written: the whole sheet at worst);
   * then the values Close filled in for each new row's empty cells (created-values.ts): its cells read
   * again with their formulas (over the created rows' span: the whole sheet at worst), and written in a
   * few rectangles: shared by rows cut the same way (new rows added together), a few per row at worst.
   */
  private creatingMs(creates: number, worst: boolean): number {
    const { rows, width } = this.sheet;
    return (
      readMs(this.cost, {
        calls: 1 + REREAD_FIXED_CALLS + 2,
        cells: 3 * rows * width,
        bytes: 2 * rows * width * SHEET_CELL_CHARS,
      }) +
      readMs(this.cost, { calls: 2, cells: 2 * rows, bytes: 0 }) +
      writeMs(this.cost, { calls: 2, cells: 2 * rows, bytes: rows * (STATUS_CHARS + ID_CHARS) }) +
      writeMs(this.cost, {
        calls: (worst ? creates : 1) * CREATED_FILL_CALLS,
        cells: creates * width,
        bytes: creates * width * SHEET_CELL_CHARS,
      })
    );
  }

  /**
   * Reading the sheet again: its bindings and extent, then the columns (`reread`), or the whole sheet —
   * when something moved, after the columns that showed it, its bindings and extent read once more.
   */
  private readAgainMs(whole: boolean): number {
    const { rows, width } = this.sheet;
    const notes = { calls: REREAD_FIXED_CALLS, cells: HEADER_NOTE_ROWS * width, bytes: width * NOTE_CHARS };
    const sheet = { calls: 1, cells: rows * width, bytes: rows * width * SHEET_CELL_CHARS };
    if (!this.reread) return readMs(this.cost, notes) + readMs(this.cost, sheet);
    const { columns, chars } = this.reread;
    const some =
      readMs(this.cost, notes) + readMs(this.cost, { calls: columns, cells: rows * columns, bytes: chars });
    return whole ? some + readMs(this.cost, notes) + readMs(this.cost, sheet) : some;
  }

  /**
   * The writes, with `extraCalls` and `extraRows` of the snapshot beyond a row per lead. Every column
   * written back (Sync status, an undo's restored columns and its Undone marks) has its formulas read
   * first, over the span written (column-write-back.ts): a cell without one reads as '', so only cells
   * are charged.
   */
  private writesMs(leads: number, extraCalls: number, extraRows: number): number {
    const { rows } = this.sheet;
    const { columns, marks } = this.undo;
    const statusChars = (this.reread?.statusChars ?? 0) + rows * STATUS_CHARS;
    const { rowsPerLead, charsPerRow } = this.log;
    const markCalls = marks > 0 ? 1 : 0;
    return (
      readMs(this.cost, {
        calls: 0,
        cells: LOG_TRIM_READ_CELLS,
        bytes: LOG_TRIM_READ_CELLS * SHEET_CELL_CHARS,
      }) +
      readMs(this.cost, { calls: 1 + columns + markCalls, cells: (1 + columns) * rows + marks, bytes: 0 }) +
      writeMs(this.cost, {
        calls: RESULT_CALLS + extraCalls + columns + markCalls,
        cells:
          (1 + columns) * rows +
          marks +
          leads * (RESULT_CELLS_PER_LEAD + rowsPerLead * LOG_ROW_CELLS) +
          extraRows * SNAPSHOT_CELLS,
        bytes:
          statusChars +
          columns * rows * SHEET_CELL_CHARS +
          marks * MARK_CHARS +
          leads * (RESULT_CHARS_PER_LEAD + rowsPerLead * charsPerRow) +
          extraRows * RESULT_SNAPSHOT_CHARS,
      })
    );
  }
}

/** Calls of an activities pull's writes whatever they hold (header, formats, rows, the job). */
const TABLE_CALLS = 12;

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
      writeMs(this.cost, { calls: TABLE_CALLS, cells, bytes: cells * FIRST_CELL_CHARS })
    );
  }
}
