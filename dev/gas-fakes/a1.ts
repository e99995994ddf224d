// A1 notation: column letters, parsing 'B2', 'A1:C3', 'C:C', 'A2:C', '2:5', "'My sheet'!A1:B2".

export function columnToLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const rem = (n - 1) % 26;
    s = String.fromCharCode(65 + rem) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function lettersToColumn(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export interface A1Part {
  row?: number;
  col?: number;
}

export interface ParsedA1 {
  sheetName?: string;
  start: A1Part;
  end: A1Part;
  /** Canonical text without the sheet name ('C:C', 'A2:C', 'B2:D9'). */
  text: string;
}

const PART_RE = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

function parsePart(s: string): A1Part | null {
  const m = PART_RE.exec(s);
  if (!m || (!m[1] && !m[2])) return null;
  const part: A1Part = {};
  if (m[1]) part.col = lettersToColumn(m[1]);
  if (m[2]) {
    part.row = Number(m[2]);
    if (part.row < 1) return null;
  }
  return part;
}

function partText(p: A1Part): string {
  return `${p.col ? columnToLetters(p.col) : ''}${p.row ?? ''}`;
}

/** Parses A1 notation; null when it is not valid A1. */
export function parseA1(input: string): ParsedA1 | null {
  let s = input.trim();
  let sheetName: string | undefined;
  const bang = s.lastIndexOf('!');
  if (bang >= 0) {
    const rawName = s.slice(0, bang);
    s = s.slice(bang + 1);
    sheetName = /^'.*'$/.test(rawName) ? rawName.slice(1, -1).replace(/''/g, "'") : rawName;
    if (!sheetName) return null;
  }
  const pieces = s.split(':');
  if (pieces.length > 2) return null;
  const start = parsePart(pieces[0]);
  const end = pieces.length === 2 ? parsePart(pieces[1]) : start;
  if (!start || !end) return null;
  if (pieces.length === 1 && (start.row === undefined || start.col === undefined)) return null;
  // Mixed shapes: 'A:B2' is not valid; 'A2:B' (open end row) and '2:B3' are not either, except 'A2:C'.
  const colOnly = (p: A1Part): boolean => p.col !== undefined && p.row === undefined;
  const rowOnly = (p: A1Part): boolean => p.row !== undefined && p.col === undefined;
  if (rowOnly(start) !== rowOnly(end)) return null;
  if (colOnly(start) && !colOnly(end)) return null;
  const text = pieces.length === 1 ? partText(start) : `${partText(start)}:${partText(end)}`;
  return { sheetName, start, end, text: text.toUpperCase() };
}

export interface GridBox {
  row: number;
  col: number;
  numRows: number;
  numCols: number;
  /** Set when the A1 text was unbounded ('C:C', 'A2:C', '3:3'): getA1Notation returns it as written. */
  notation?: string;
}

/** Resolves parsed A1 against a sheet's size (unbounded sides run to the last row/column). */
export function resolveA1(a1: ParsedA1, maxRows: number, maxCols: number): GridBox {
  const r1 = a1.start.row ?? 1;
  const c1 = a1.start.col ?? 1;
  const r2 = a1.end.row ?? maxRows;
  const c2 = a1.end.col ?? maxCols;
  const unbounded = a1.start.row === undefined || a1.end.row === undefined || a1.end.col === undefined;
  const box: GridBox = {
    row: Math.min(r1, r2),
    col: Math.min(c1, c2),
    numRows: Math.abs(r2 - r1) + 1,
    numCols: Math.abs(c2 - c1) + 1,
  };
  if (unbounded) box.notation = a1.text;
  return box;
}

export function boxToA1(box: GridBox): string {
  if (box.notation) return box.notation;
  const tl = `${columnToLetters(box.col)}${box.row}`;
  if (box.numRows === 1 && box.numCols === 1) return tl;
  return `${tl}:${columnToLetters(box.col + box.numCols - 1)}${box.row + box.numRows - 1}`;
}
