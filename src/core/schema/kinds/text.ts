// Text: Close's text and textarea fields and the standard text fields; a value cell as typed.
import { cellText, ok, textCell } from './cells';
import type { FieldKind } from './kind';

export const text: FieldKind = {
  closeTypes: [{ type: 'text' }, { type: 'textarea' }],
  codec: (_column, env) => ({
    ...textCell,
    decode: (cell) => {
      const t = cellText(cell, env.timeZone);
      return ok(t === '' ? null : t);
    },
  }),
  numberFormat: '@',
  takes: 'text',
  multiValue: null,
  addRemove: false,
  dropdown: null,
  display: 'as the cell shows it',
  report: null,
};
