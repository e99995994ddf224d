// The diagnostics report: sections of labelled rows (what the Help panel shows), and the same as plain
// text (what "Copy report" copies). A rep sends the text to whoever supports them, so it must never carry
// the API key or lead data: rows are built from counts, settings and Apps Script's own answers, and
// every free-text message (an error Close or Apps Script gave) goes through `redact` first.

/** ok: fine; warn: works, but look; error: broken, with what to do; info: a plain fact. */
export type Level = 'ok' | 'warn' | 'error' | 'info';

export interface DiagnosticRow {
  label: string;
  value: string;
  level: Level;
  /** What to do about it (set on every warn and error row). */
  action?: string;
}

export interface DiagnosticSection {
  title: string;
  rows: DiagnosticRow[];
}

export interface Diagnostics {
  version: string;
  /** When the report was made, in the spreadsheet's time zone (`2026-11-28 09:00 (America/New_York)`). */
  generatedAt: string;
  sections: DiagnosticSection[];
  /** The whole report as plain text. */
  text: string;
}

const MARK: Record<Level, string> = { ok: 'ok', warn: 'WARN', error: 'ERROR', info: '--' };

/** The report as text: one line per row, its level first, and "What to do" under the rows that need it. */
export function diagnosticsText(report: Omit<Diagnostics, 'text'>): string {
  const lines = [`Close Sync diagnostics — version ${report.version}, ${report.generatedAt}`];
  for (const section of report.sections) {
    lines.push('', section.title);
    for (const row of section.rows) {
      lines.push(`  [${MARK[row.level]}] ${row.label}: ${row.value}`);
      if (row.action) lines.push(`        What to do: ${row.action}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Close API keys (`api_…`) and anything that follows "Basic " in a header someone quoted. */
const KEY_LIKE = /\bapi_[A-Za-z0-9._-]+|\bBasic\s+[A-Za-z0-9+/=]{8,}/g;
/** Quoted text: "…", “…” or ‘…’ (not lone apostrophes, as in "doesn't"). */
const QUOTED = /"([^"\n]*)"|“([^”\n]*)”|‘([^’\n]*)’/g;

/**
 * A message made safe for the report: key-like strings are replaced, and so is quoted text — Close's
 * and the add-on's messages quote values (a lead's name, a choice) — unless it is one of `keep` (the
 * spreadsheet's sheet names, which say where something happened and are not lead data).
 */
export function redact(
  message: string,
  keep: readonly string[] = [],
  secrets: readonly string[] = [],
): string {
  let text = message;
  for (const secret of secrets) if (secret) text = text.split(secret).join('[API key]');
  text = text.replace(KEY_LIKE, '[API key]');
  return text.replace(QUOTED, (whole, a?: string, b?: string, c?: string) => {
    const inner = a ?? b ?? c ?? '';
    return keep.includes(inner) ? whole : whole.replace(inner, '…');
  });
}
