// The pure parts of the scheduled refresh and the report: when a schedule is due, what trigger a rep
// needs, and how report cells are read.
import { moneyFormat } from '../../src/core/report/pipeline';
import { splitValues } from '../../src/core/schema/kinds/choice';
import {
  isDue,
  nextRun,
  normalizeSpec,
  type Schedule,
  timerKey,
  timerSpec,
} from '../../src/core/schedule/due-times';

const NY = 'America/New_York';
const HOUR = 3_600_000;
const at = (iso: string) => Date.parse(iso);

function schedule(s: Partial<Schedule>): Schedule {
  return {
    sheetName: 'Close Leads',
    every: 'hour',
    hours: 1,
    atHour: 0,
    setBy: 'rep@example.com',
    setAt: at('2026-11-28T09:00:00Z'),
    paused: null,
    last: null,
    ...s,
  };
}

test('every N hours: due N hours after the last run (a trigger firing up to 30 minutes early counts)', () => {
  const s = schedule({ hours: 4 });
  expect(isDue(s, s.setAt + 3 * HOUR, NY)).toBe(false);
  expect(isDue(s, s.setAt + 3.5 * HOUR, NY)).toBe(true);
  const ran = {
    ...s,
    last: { startedAt: s.setAt + 4 * HOUR, finishedAt: 0, outcome: 'ok' as const, leads: 1, message: '' },
  };
  expect(isDue(ran, s.setAt + 5 * HOUR, NY)).toBe(false);
  expect(nextRun(ran, s.setAt + 5 * HOUR, NY)).toBe(s.setAt + 8 * HOUR);
  expect(isDue({ ...s, paused: 'key rejected' }, s.setAt + 10 * HOUR, NY)).toBe(false);
  expect(nextRun({ ...s, paused: 'key rejected' }, s.setAt, NY)).toBeNull();
});

test('daily at an hour, in the spreadsheet zone, across a daylight-saving change', () => {
  // Set on 2026-03-07 at 10:00 New York (EST); 06:00 the next day is after the switch to EDT.
  const s = schedule({ every: 'day', atHour: 6, setAt: at('2026-03-07T15:00:00Z') });
  expect(nextRun(s, s.setAt, NY)).toBe(at('2026-03-08T10:00:00Z'));
  expect(isDue(s, at('2026-03-08T09:30:00Z'), NY)).toBe(false);
  expect(isDue(s, at('2026-03-08T10:05:00Z'), NY)).toBe(true);
  const ran = {
    ...s,
    last: {
      startedAt: at('2026-03-08T10:05:00Z'),
      finishedAt: 0,
      outcome: 'ok' as const,
      leads: 1,
      message: '',
    },
  };
  expect(isDue(ran, at('2026-03-08T20:00:00Z'), NY)).toBe(false);
  expect(nextRun(ran, at('2026-03-08T20:00:00Z'), NY)).toBe(at('2026-03-09T10:00:00Z'));
});

test('one trigger per rep: exact when their schedules agree, hourly when they differ, none when all are paused', () => {
  expect(timerSpec([])).toBeNull();
  expect(timerSpec([schedule({ hours: 4 }), schedule({ sheetName: 'B', hours: 4 })])).toEqual({
    kind: 'hours',
    hours: 4,
  });
  expect(timerSpec([schedule({ every: 'day', atHour: 7 })])).toEqual({ kind: 'day', atHour: 7 });
  expect(timerSpec([schedule({ every: 'day', atHour: 7 }), schedule({ sheetName: 'B', hours: 6 })])).toEqual({
    kind: 'hours',
    hours: 1,
  });
  expect(timerSpec([schedule({ paused: 'no key' })])).toBeNull();
  expect(timerKey({ kind: 'day', atHour: 7 })).toBe('day@7');
});

test('specs: defaults and the values Apps Script accepts', () => {
  expect(normalizeSpec({ every: 'hour' }, 'Close Leads')).toEqual({
    sheetName: 'Close Leads',
    every: 'hour',
    hours: 1,
    atHour: 0,
  });
  expect(normalizeSpec({ sheetName: 'West', every: 'day' }, 'Close Leads')).toEqual({
    sheetName: 'West',
    every: 'day',
    hours: 24,
    atHour: 6,
  });
  expect(() => normalizeSpec(null, 'x')).toThrow('Say how often to refresh: every hour, or every day.');
});

test('report cells: multi-choice values split on "; " unless a known choice contains it', () => {
  expect(splitValues('Choice 1; Choice 2', ['Choice 1', 'Choice 2'])).toEqual(['Choice 1', 'Choice 2']);
  expect(splitValues('Health; Wellness; Retail', ['Health; Wellness', 'Retail'])).toEqual([
    'Health; Wellness',
    'Retail',
  ]);
  expect(splitValues('a; b', undefined)).toEqual(['a', 'b']);
  expect(splitValues('', ['a'])).toEqual([]);
  expect(moneyFormat('USD')).toBe('"$"#,##0.00');
  expect(moneyFormat('CHF')).toBe('#,##0.00 "CHF"');
  expect(moneyFormat('JPY')).toBe('"¥"#,##0');
});
