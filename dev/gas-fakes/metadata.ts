// DeveloperMetadata, its location, the finder, and Protection facades.
import { columnToLetters, type GridBox } from './a1';
import { describeArg, enumKey, type GasEnumValue } from './env';
import { DeveloperMetadataLocationType, DeveloperMetadataVisibility, ProtectionType } from './enums';
import type { FakeSheet, MetaRecord, ProtectionRecord } from './model';
import { assertProtectionEditable, isEditorOf } from './protection';
import { countCalls, type SheetsSession } from './session';

function wholeColumnBox(sheet: FakeSheet, start0: number, end0: number): GridBox {
  const notation = `${columnToLetters(start0 + 1)}:${columnToLetters(end0)}`;
  return { row: 1, col: start0 + 1, numRows: sheet.maxRows, numCols: end0 - start0, notation };
}

function wholeRowBox(sheet: FakeSheet, start0: number, end0: number): GridBox {
  return {
    row: start0 + 1,
    col: 1,
    numRows: end0 - start0,
    numCols: sheet.maxCols,
    notation: `${start0 + 1}:${end0}`,
  };
}

/** The whole-row or whole-column span of a Range facade, for moveToColumn/moveToRow. */
interface RangeLike {
  _sheet: FakeSheet;
  _box: GridBox;
}

function isRangeLike(v: unknown): v is RangeLike {
  return typeof v === 'object' && v !== null && '_sheet' in v && '_box' in v;
}

export class DeveloperMetadataLocationApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _rec: MetaRecord,
  ) {}
  getLocationType(): GasEnumValue {
    return DeveloperMetadataLocationType[this._rec.loc.type];
  }
  getColumn(): unknown {
    const loc = this._rec.loc;
    if (loc.type !== 'COLUMN') return null;
    return this._s.rangeApi(loc.sheet, wholeColumnBox(loc.sheet, loc.start, loc.end));
  }
  getRow(): unknown {
    const loc = this._rec.loc;
    if (loc.type !== 'ROW') return null;
    return this._s.rangeApi(loc.sheet, wholeRowBox(loc.sheet, loc.start, loc.end));
  }
  getSheet(): unknown {
    const loc = this._rec.loc;
    return 'sheet' in loc ? this._s.sheetApi(loc.sheet) : null;
  }
  getSpreadsheet(): unknown {
    return this._rec.loc.type === 'SPREADSHEET' ? this._s.spreadsheetApi() : null;
  }
}
countCalls(DeveloperMetadataLocationApi);

export class DeveloperMetadataApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _rec: MetaRecord,
  ) {}
  getId(): number {
    return this._rec.id;
  }
  getKey(): string {
    return this._rec.key;
  }
  getValue(): string | null {
    return this._rec.value;
  }
  getVisibility(): GasEnumValue {
    return DeveloperMetadataVisibility[this._rec.visibility];
  }
  getLocation(): DeveloperMetadataLocationApi {
    return new DeveloperMetadataLocationApi(this._s, this._rec);
  }
  setKey(key: string): DeveloperMetadataApi {
    this._rec.key = String(key);
    return this;
  }
  setValue(value: string): DeveloperMetadataApi {
    this._rec.value = value === null || value === undefined ? null : String(value);
    return this;
  }
  setVisibility(visibility: unknown): DeveloperMetadataApi {
    const k = enumKey(visibility, DeveloperMetadataVisibility);
    if (!k) {
      throw this._s.env.fail(
        `The parameters (${describeArg(visibility)}) don't match the method signature for SpreadsheetApp.DeveloperMetadata.setVisibility.`,
      );
    }
    this._rec.visibility = k;
    return this;
  }
  remove(): void {
    const book = this._s.book;
    book.metadata = book.metadata.filter((m) => m !== this._rec);
  }
  moveToColumn(column: unknown): DeveloperMetadataApi {
    if (!isRangeLike(column) || column._box.row !== 1 || column._box.numRows !== column._sheet.maxRows) {
      throw this._s.env.fail('Developer metadata may only be moved to an entire column.');
    }
    const b = column._box;
    this._rec.loc = { type: 'COLUMN', sheet: column._sheet, start: b.col - 1, end: b.col - 1 + b.numCols };
    return this;
  }
  moveToRow(row: unknown): DeveloperMetadataApi {
    if (!isRangeLike(row) || row._box.col !== 1 || row._box.numCols !== row._sheet.maxCols) {
      throw this._s.env.fail('Developer metadata may only be moved to an entire row.');
    }
    const b = row._box;
    this._rec.loc = { type: 'ROW', sheet: row._sheet, start: b.row - 1, end: b.row - 1 + b.numRows };
    return this;
  }
  moveToSheet(sheet: unknown): DeveloperMetadataApi {
    const s = (sheet as { _sheet?: FakeSheet } | null)?._sheet;
    if (!s)
      throw this._s.env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.DeveloperMetadata.moveToSheet.",
      );
    this._rec.loc = { type: 'SHEET', sheet: s };
    return this;
  }
  moveToSpreadsheet(): DeveloperMetadataApi {
    this._rec.loc = { type: 'SPREADSHEET' };
    return this;
  }
}
countCalls(DeveloperMetadataApi);

export type FinderScope =
  | { kind: 'spreadsheet' }
  | { kind: 'sheet'; sheet: FakeSheet }
  | { kind: 'range'; sheet: FakeSheet; box: GridBox };

function spanContains(outer: [number, number], inner: [number, number]): boolean {
  return outer[0] <= inner[0] && inner[1] <= outer[1];
}
function spanIntersects(a: [number, number], b: [number, number]): boolean {
  return a[0] < b[1] && b[0] < a[1];
}

export class FinderApi {
  private key: string | null = null;
  private value: string | null = null;
  private id: number | null = null;
  private type: string | null = null;
  private visibility: string | null = null;
  private intersecting = false;

  constructor(
    readonly _s: SheetsSession,
    readonly _scope: FinderScope,
  ) {}

  withKey(key: string): FinderApi {
    this.key = String(key);
    return this;
  }
  withValue(value: string): FinderApi {
    this.value = String(value);
    return this;
  }
  withId(id: number): FinderApi {
    this.id = Number(id);
    return this;
  }
  withLocationType(locationType: unknown): FinderApi {
    const k = enumKey(locationType, DeveloperMetadataLocationType);
    if (!k) {
      throw this._s.env.fail(
        `The parameters (${describeArg(locationType)}) don't match the method signature for SpreadsheetApp.DeveloperMetadataFinder.withLocationType.`,
      );
    }
    this.type = k;
    return this;
  }
  withVisibility(visibility: unknown): FinderApi {
    const k = enumKey(visibility, DeveloperMetadataVisibility);
    if (!k) {
      throw this._s.env.fail(
        `The parameters (${describeArg(visibility)}) don't match the method signature for SpreadsheetApp.DeveloperMetadataFinder.withVisibility.`,
      );
    }
    this.visibility = k;
    return this;
  }
  onIntersectingLocations(): FinderApi {
    this.intersecting = true;
    return this;
  }

  _inScope(m: MetaRecord): boolean {
    const scope = this._scope;
    if (scope.kind === 'spreadsheet') return true;
    if (!('sheet' in m.loc) || m.loc.sheet !== scope.sheet) return false;
    if (scope.kind === 'sheet') return true;
    const b = scope.box;
    const rows: [number, number] = [b.row - 1, b.row - 1 + b.numRows];
    const cols: [number, number] = [b.col - 1, b.col - 1 + b.numCols];
    const sheet = scope.sheet;
    const allRows = rows[0] === 0 && rows[1] === sheet.maxRows;
    const allCols = cols[0] === 0 && cols[1] === sheet.maxCols;
    if (m.loc.type === 'SHEET') return this.intersecting || (allRows && allCols);
    const span: [number, number] = [m.loc.start, m.loc.end];
    if (m.loc.type === 'ROW')
      return this.intersecting ? spanIntersects(rows, span) : allCols && spanContains(rows, span);
    return this.intersecting ? spanIntersects(cols, span) : allRows && spanContains(cols, span);
  }

  find(): DeveloperMetadataApi[] {
    return this._s.book.metadata
      .filter(
        (m) =>
          this._inScope(m) &&
          (this.key === null || m.key === this.key) &&
          (this.value === null || m.value === this.value) &&
          (this.id === null || m.id === this.id) &&
          (this.type === null || m.loc.type === this.type) &&
          (this.visibility === null || m.visibility === this.visibility),
      )
      .sort((a, b) => a.id - b.id)
      .map((m) => new DeveloperMetadataApi(this._s, m));
  }
}
countCalls(FinderApi);

export class ProtectionApi {
  constructor(
    readonly _s: SheetsSession,
    readonly _rec: ProtectionRecord,
  ) {}
  /** Every setter and remove() first: only a user who may edit the protection changes it (protection.ts). */
  _guard(): void {
    assertProtectionEditable(this._s, this._rec);
  }
  getProtectionType(): GasEnumValue {
    return ProtectionType[this._rec.type];
  }
  getDescription(): string {
    return this._rec.description;
  }
  setDescription(description: string): ProtectionApi {
    this._guard();
    this._rec.description = String(description);
    return this;
  }
  isWarningOnly(): boolean {
    return this._rec.warningOnly;
  }
  /**
   * reference/spreadsheet/protection#setWarningOnly: "Warning-based protection means that every user can
   * edit data in the area, except editing prompts a warning asking the user to confirm the edit." A
   * script's edits get no prompt (there is no one to confirm), so the fake lets them through.
   */
  setWarningOnly(warningOnly: boolean): ProtectionApi {
    this._guard();
    this._rec.warningOnly = Boolean(warningOnly);
    return this;
  }
  /**
   * "Determines whether the user has permission to edit the protected range or sheet. The spreadsheet
   * owner is always able to edit protected ranges and sheets." (reference/spreadsheet/protection#canEdit)
   * Under a warning-only protection: the harsher reading, the editor list (protection.ts isEditorOf).
   */
  canEdit(): boolean {
    return isEditorOf(this._s.book, this._rec, this._s.env.userEmail);
  }
  canDomainEdit(): boolean {
    return this._rec.domainEdit;
  }
  setDomainEdit(editable: boolean): ProtectionApi {
    this._guard();
    this._rec.domainEdit = Boolean(editable);
    return this;
  }
  getEditors(): Array<{ getEmail(): string }> {
    return this._rec.editors.map((email) => ({ getEmail: () => email }));
  }
  addEditor(emailOrUser: unknown): ProtectionApi {
    return this.addEditors([emailOrUser]);
  }
  addEditors(emails: unknown[]): ProtectionApi {
    this._guard();
    if (this._rec.warningOnly)
      throw this._s.env.fail('You cannot modify editors of a warning-only protection.');
    for (const e of emails) {
      const email = typeof e === 'string' ? e : String((e as { getEmail(): string }).getEmail());
      if (!this._rec.editors.includes(email)) this._rec.editors.push(email);
    }
    return this;
  }
  removeEditor(emailOrUser: unknown): ProtectionApi {
    return this.removeEditors([emailOrUser]);
  }
  /**
   * reference/spreadsheet/protection#removeEditors: "Neither the owner of the spreadsheet nor the
   * current user can be removed."
   */
  removeEditors(emails: unknown[]): ProtectionApi {
    this._guard();
    const drop = emails.map((e) =>
      typeof e === 'string' ? e : String((e as { getEmail(): string }).getEmail()),
    );
    const keep = [this._s.env.userEmail, this._s.book.owner];
    this._rec.editors = this._rec.editors.filter((e) => !drop.includes(e) || keep.includes(e));
    return this;
  }
  getRange(): unknown {
    const r = this._rec;
    if (r.type === 'SHEET') {
      return this._s.rangeApi(r.sheet, {
        row: 1,
        col: 1,
        numRows: r.sheet.maxRows,
        numCols: r.sheet.maxCols,
      });
    }
    return this._s.rangeApi(r.sheet, {
      row: r.rows[0] + 1,
      col: r.cols[0] + 1,
      numRows: r.rows[1] - r.rows[0],
      numCols: r.cols[1] - r.cols[0],
    });
  }
  /**
   * reference/spreadsheet/protection#setRange: "Adjusts the range that is being protected. If the given
   * range covers a different area from the current protected range, this method moves the protection to
   * cover the new range instead." Only a range protection's range is modelled.
   */
  setRange(range: unknown): ProtectionApi {
    this._guard();
    const r = range as {
      _sheet?: FakeSheet;
      _box?: { row: number; col: number; numRows: number; numCols: number };
    };
    if (!r?._box || !r._sheet)
      throw this._s.env.fail(
        "The parameters don't match the method signature for SpreadsheetApp.Protection.setRange.",
      );
    if (this._rec.type !== 'RANGE')
      throw this._s.env.fail('fake: setRange on a sheet protection is not modelled');
    this._rec.sheet = r._sheet;
    this._rec.rows = [r._box.row - 1, r._box.row - 1 + r._box.numRows];
    this._rec.cols = [r._box.col - 1, r._box.col - 1 + r._box.numCols];
    return this;
  }
  getUnprotectedRanges(): unknown[] {
    return [];
  }
  /** Checked like every setter; the unprotected ranges themselves are not modelled (README). */
  setUnprotectedRanges(_ranges: unknown[]): ProtectionApi {
    this._guard();
    return this;
  }
  /** "Unprotects the range or sheet." Only by a user who may edit the protection (protection.ts). */
  remove(): void {
    this._guard();
    const book = this._s.book;
    book.protections = book.protections.filter((p) => p !== this._rec);
  }
}
countCalls(ProtectionApi);
