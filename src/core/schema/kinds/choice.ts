// Choice fields: one of the field's choices (a dropdown), or several separated by "; ". Choices are
// matched without regard to case or spaces around ";", and a choice that itself contains ";" is kept
// whole: a multi-value cell is split by the field's known choices, longest match first. The same split
// serves decoding (an unknown value is refused) and the report (an unknown value is counted as typed).
import {
  asText,
  bad,
  cellText,
  joined,
  listForMessage,
  ok,
  quote,
  separatorHint,
  textCell,
  truncate,
} from './cells';
import type { FieldKind } from './kind';

function normalizeChoice(text: string): string {
  return text
    .split(';')
    .map((t) => t.trim())
    .join(';')
    .toLowerCase();
}

/** A field's choices by their normalized form, for splitKnownValues. */
export function choiceIndex(choices: string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const c of choices) map.set(normalizeChoice(c), c);
  return map;
}

/**
 * A multi-value cell's parts in order: each known choice (as Close spells it; the longest run of
 * ";"-separated tokens that is one), and each token that is none (`known: false`, as typed, trimmed).
 */
export function splitKnownValues(
  text: string,
  known: Map<string, string>,
): Array<{ value: string; known: boolean }> {
  const tokens = text.split(';').map((t) => t.trim());
  const parts: Array<{ value: string; known: boolean }> = [];
  let i = 0;
  while (i < tokens.length) {
    let j = tokens.length;
    let match: string | undefined;
    for (; j > i; j--) {
      match = known.get(normalizeChoice(tokens.slice(i, j).join(';')));
      if (match !== undefined) break;
    }
    if (match !== undefined) {
      parts.push({ value: match, known: true });
      i = j;
    } else {
      parts.push({ value: tokens[i], known: false });
      i++;
    }
  }
  return parts;
}

/** The values a report counts for a multi-choice cell: each once, known ones as Close spells them. */
export function splitValues(cell: string, known: string[] | undefined): string[] {
  const values: string[] = [];
  for (const { value } of splitKnownValues(cell, choiceIndex(known ?? [])))
    if (value !== '' && !values.includes(value)) values.push(value);
  return values;
}

const choiceBase = { numberFormat: '@', addRemove: false, display: 'as the cell shows it' } as const;

export const choice: FieldKind = {
  closeTypes: [{ type: 'choices', multiple: false }],
  codec: (column, env) => {
    const known = choiceIndex(column.choices ?? []);
    return {
      ...textCell,
      decode: (cell) => {
        const t = cellText(cell, env.timeZone).trim();
        if (t === '') return ok(null);
        const match = known.get(normalizeChoice(t));
        return match !== undefined
          ? ok(match)
          : bad(`${quote(t)} is not one of the choices: ${listForMessage(column.choices ?? [])}`);
      },
    };
  },
  takes: 'one of its choices (dropdown)',
  multiValue: null,
  dropdown: 'own choices',
  report: 'by value',
  ...choiceBase,
};

export const choices: FieldKind = {
  closeTypes: [{ type: 'choices', multiple: true }],
  codec: (column, env) => {
    const known = choiceIndex(column.choices ?? []);
    return {
      encode: (v) => truncate(Array.isArray(v) ? joined(v, String) : asText(v)),
      isLossy: () => false,
      decode: (cell) => {
        const t = cellText(cell, env.timeZone).trim();
        if (t === '') return ok(null);
        const values: string[] = [];
        const unknown: string[] = [];
        for (const part of splitKnownValues(t, known)) {
          if (!part.known) {
            if (part.value !== '') unknown.push(part.value);
          } else if (!values.includes(part.value)) values.push(part.value);
        }
        if (unknown.length > 0)
          return bad(
            `${unknown.map((u) => JSON.stringify(u)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not among the choices: ${listForMessage(column.choices ?? [])}${separatorHint(t, (v) => known.has(normalizeChoice(v)))}`,
          );
        return ok(values);
      },
    };
  },
  takes: 'some of its choices, separated by "; "',
  multiValue: 'known values',
  dropdown: null,
  report: 'by value',
  ...choiceBase,
  addRemove: true,
};
