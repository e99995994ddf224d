// The hidden state sheet's store (src/core/sheet-store.ts) through the ports alone: which calls a save
// makes. Every cell is plain text before anything lands; a row rewritten no wider than it was is already.
import { SheetStore, STATE_SHEET } from '../../src/core/sheet-store';
import { memoryWorkbook } from './memory-workbook';

const formats = (book: ReturnType<typeof memoryWorkbook>) =>
  book.calls.filter((c) => c.op === 'format').map((c) => (c.op === 'format' ? c.columns : []));

test("a key's row rewritten no wider than it was sets no format; a new row, or a wider one, formats its columns first", () => {
  const book = memoryWorkbook();
  new SheetStore(book).set('a', 'first');
  // A new sheet: formatted before its header and first row land.
  expect(formats(book)).toEqual([[1, 2]]);
  book.calls.length = 0;
  // A later execution (a store reads the sheet again): the same key rewritten, no format.
  const store = new SheetStore(book);
  store.set('a', 'second');
  expect(formats(book)).toEqual([]);
  expect(book.grid(STATE_SHEET).read(2, 1, 1, 2)).toEqual([['a', 'second']]);
  // A new key's row may lie past what was formatted: formatted again.
  store.set('b', 'other');
  expect(formats(book)).toEqual([[1, 2]]);
  book.calls.length = 0;
  // A value past one cell (45,000 characters) goes on in a third column: formatted first.
  const long = 'x'.repeat(50_000);
  store.set('a', long);
  expect(formats(book)).toEqual([[1, 2, 3]]);
  expect(book.calls.findIndex((c) => c.op === 'format')).toBeLessThan(
    book.calls.findIndex((c) => c.op === 'write'),
  );
  expect(new SheetStore(book).get('a')).toBe(long);
});
