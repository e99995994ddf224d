// What the Spreadsheet-service facades of one runtime share: the runtime's Env, the workbook, the
// user's active sheet/range, and factories (so the facade files do not import each other).
import type { GridBox } from './a1';
import type { CoercionContext } from './coercion';
import type { Env } from './env';
import type { FakeSheet, FakeSpreadsheet } from './model';
import type { RangeApi } from './range';
import type { SheetApi, SpreadsheetApi } from './spreadsheet';

export interface SheetsSession {
  env: Env;
  book: FakeSpreadsheet;
  /** The user's active sheet (per user, not per workbook) and selection. */
  activeSheetId: number | null;
  activeRange: { sheetId: number; box: GridBox } | null;
  toast(message: string, title: string, timeoutSeconds: number): void;
  spreadsheetApi(): SpreadsheetApi;
  sheetApi(sheet: FakeSheet): SheetApi;
  rangeApi(sheet: FakeSheet, box: GridBox): RangeApi;
  coercion(): CoercionContext;
}

/**
 * Makes every public method of a facade class count as one Spreadsheet-service call (stats,
 * virtual time, execution budget) and turns errors of the model into Apps Script exceptions.
 * Methods whose names start with "_" are internal and not counted.
 */
export function countCalls(ctor: { prototype: object }): void {
  const proto = ctor.prototype as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(proto)) {
    if (name === 'constructor' || name.startsWith('_')) continue;
    const desc = Object.getOwnPropertyDescriptor(proto, name);
    if (!desc || typeof desc.value !== 'function') continue;
    const fn = desc.value as (...args: unknown[]) => unknown;
    // esbuild may rename a class (`_RangeApi`) when bundling; the label keeps the Apps Script-ish name.
    const className = ((ctor as { name?: string }).name ?? '?').replace(/^_+/, '');
    const method = `${className}.${name}`;
    // The class as Google's reference names it ("RangeApi" → "Range"), for scopes and their messages.
    const gasClass = className.replace(/Api$/, '');
    const scopeMethod = `${gasClass === 'Finder' ? 'DeveloperMetadataFinder' : gasClass}.${name}`;
    const wrapped = function (this: { _s: SheetsSession }, ...args: unknown[]): unknown {
      const env = this._s.env;
      // A facade method calling another (insertRowAfter -> insertRowsAfter) is still one call.
      const outermost = env.facadeDepth === 0;
      if (outermost) {
        env.spreadsheetCall(method);
        env.requireScopes(scopeMethod);
      }
      const started = outermost ? performance.now() : 0;
      env.facadeDepth++;
      try {
        return fn.apply(this, args);
      } catch (e) {
        if (e instanceof Error && e.name !== 'Exception') throw env.fail(e.message);
        throw e;
      } finally {
        env.facadeDepth--;
        if (outermost) env.stats.spreadsheetCpuMs += performance.now() - started;
      }
    };
    Object.defineProperty(wrapped, 'name', { value: name });
    Object.defineProperty(proto, name, { ...desc, value: wrapped });
  }
}
