// Messages and views shared by the preview's server (main thread), its Apps Script worker and the page.

/** One sheet as the grid page draws it: display strings, the frozen header, a little formatting. */
export interface SheetView {
  name: string;
  hidden: boolean;
  frozenRows: number;
  frozenColumns: number;
  /** Rows and columns the grid shows (the sheet's used range plus some empty space). */
  rows: number;
  columns: number;
  /** Display values of the used range (rows × columns of content; shorter rows are padded with ''). */
  values: string[][];
  /** Formatting of cells that have some, by "row,column" (1-based). */
  formats: Record<string, CellFormat>;
  /** Notes by A1 of the cell. */
  notes: Record<string, string>;
  /** 1-based hidden rows and columns. */
  hiddenRows: number[];
  hiddenColumns: number[];
  /** Column widths in pixels (index 0 = column A). */
  widths: number[];
}

export interface CellFormat {
  bg?: string;
  color?: string;
  bold?: boolean;
  italic?: boolean;
  align?: string;
}

export interface MenuItemView {
  caption: string;
  functionName: string;
}

export interface MenuView {
  name: string;
  /** null marks a separator. */
  items: Array<MenuItemView | null>;
}

/** Something the add-on showed through SpreadsheetApp.getUi() or a toast. */
export interface UiEventView {
  kind: 'alert' | 'dialog' | 'sidebar' | 'toast' | 'other';
  title: string;
  /** Plain text (alerts, toasts) — shown as text. */
  message?: string;
  /** HTML of a dialog — shown in a sandboxed frame without scripts. */
  html?: string;
}

export interface WorkbookView {
  version: number;
  name: string;
  activeSheet: string;
  /** A1 notation of the active range on the active sheet, if any. */
  activeRange: string | null;
  sheets: SheetView[];
  menus: MenuView[];
}

export interface RunResult {
  ok: boolean;
  value?: unknown;
  message?: string;
  name?: string;
  /** UI events the call produced (alerts, dialogs, toasts, sidebars). */
  ui?: UiEventView[];
}
