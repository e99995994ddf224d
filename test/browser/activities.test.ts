// The Activities section, driven in Chromium against the preview: the rep picks calls and emails of three
// days, pulls, and gets exactly those activities in "Close Activities" (every cell worked out from the fake
// Close's own activities), the summary in the sidebar, and Close asked for those types and days only;
// pulling again refreshes in place; the roll-up is built from the sheet; a Smart View limits the leads;
// a form with nothing to pull says what to fix before anything is sent.
import type { JsonObject } from '../../dev/fake-close';
import type { PreviewServer } from '../../dev/preview/server';
import { type Opened, previewSession } from './helpers';

jest.setTimeout(30_000);

let preview: PreviewServer;
let ui: Opened;

previewSession(async (session) => {
  ({ preview, ui } = session);
  const { sidebar } = ui;
  await sidebar.getByLabel('API key').fill(preview.sampleApiKey!);
  await sidebar.getByRole('button', { name: 'Connect' }).click();
  await sidebar.getByRole('button', { name: 'Disconnect' }).waitFor();
});

const SHEET = 'Close Activities';
const HEADER = [
  'Activity ID',
  'Type',
  'Date',
  'User',
  'Lead',
  'Lead ID',
  'Contact',
  'Direction',
  'Duration (s)',
  'Subject / Text',
  'Status',
  'Phone / Email',
  'Details',
];
// The preview's spreadsheet is in New York: 2025-05-12 starts at 04:00 UTC (daylight time), and
// 2025-05-14 ends at 04:00 UTC on the 15th.
const SINCE = '2025-05-12';
const UNTIL = '2025-05-14';
const FROM_UTC = '2025-05-12T04:00:00.000000+00:00';
const TO_UTC = '2025-05-15T04:00:00.000000+00:00';

const section = () => ui.sidebar.getByRole('region', { name: 'Activities' });

const nyDateTime = (iso: string) =>
  new Intl.DateTimeFormat('en-CA', {
    timeZone: 'America/New_York',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  })
    .format(new Date(Date.parse(iso)))
    .replace(', ', ' ');

/** The calls and emails of the three days in the fake Close, newest first (as the sheet lists them). */
function expectedActivities(): JsonObject[] {
  const from = Date.parse(FROM_UTC);
  const to = Date.parse(TO_UTC);
  return ((preview.fake!.org.activities ?? []) as JsonObject[])
    .filter((a) => a._type === 'Call' || a._type === 'Email')
    .filter((a) => {
      const t = Date.parse(String(a.date_created));
      return t >= from && t < to;
    })
    .sort((a, b) => Date.parse(String(b.date_created)) - Date.parse(String(a.date_created)));
}

/** The row a rep expects for an activity, as the sheet displays it. */
function expectedRow(a: JsonObject): string[] {
  const org = preview.fake!.org;
  const lead = org.leads.find((l) => l.id === a.lead_id)!;
  const contact = lead.contacts.find((c) => c.id === a.contact_id);
  const member = org.organization.memberships.find((m) => m.user_id === a.user_id)!;
  // Two users with one name are told apart by their email (as in lead sheets).
  const namesakes = org.organization.memberships.filter((m) => m.user_full_name === member.user_full_name);
  const user =
    namesakes.length > 1 ? `${member.user_full_name} (${member.user_email})` : member.user_full_name;
  const s = (v: unknown) =>
    v === null || v === undefined ? '' : Array.isArray(v) ? v.join('; ') : String(v);
  const fields =
    a._type === 'Call'
      ? [
          s(a.direction),
          String(a.duration),
          s(a.note),
          s(a.disposition),
          s(a.remote_phone),
          a.voicemail_duration ? `voicemail ${a.voicemail_duration} s` : '',
        ]
      : [
          s(a.direction),
          '',
          s(a.subject),
          s(a.status),
          a.direction === 'incoming' ? s(a.sender) : s(a.to),
          s(a.body_text),
        ];
  return [
    String(a.id),
    String(a._type),
    nyDateTime(String(a.date_created)),
    user,
    lead.display_name,
    lead.id,
    contact ? contact.name : '',
    ...fields,
  ];
}

function sheetRows(): string[][] {
  const sheet = preview.view().sheets.find((s) => s.name === SHEET);
  if (!sheet) throw new Error(`no sheet ${SHEET}`);
  return sheet.values.map((r) => r.slice(0, HEADER.length)).filter((r) => r.some((v) => v !== ''));
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

test('calls and emails of three days: exactly those rows, the summary, and only those requests', async () => {
  const activities = section();
  await activities.getByRole('checkbox', { name: 'Meetings' }).uncheck();
  await activities.getByRole('checkbox', { name: 'SMS' }).uncheck();
  await activities.getByRole('checkbox', { name: 'Notes' }).uncheck();
  await activities.getByLabel('From').fill(SINCE);
  await activities.getByLabel('To', { exact: true }).fill(UNTIL);
  preview.fake!.log.length = 0;
  await activities.getByRole('button', { name: 'Pull activities' }).click();
  const summary = activities.locator('#activities-summary');
  await summary.waitFor();

  const expected = expectedActivities();
  const calls = expected.filter((a) => a._type === 'Call').length;
  const emails = expected.length - calls;
  expect(calls).toBeGreaterThan(0);
  expect(emails).toBeGreaterThan(2);
  expect(await summary.locator('p').allTextContents()).toEqual([
    `${expected.length} activities · ${plural(calls, 'call')}, ${plural(emails, 'email')}`,
    `Into sheet “${SHEET}”: ${expected.length} new, 0 refreshed.`,
  ]);
  // The live region announces the server's own sentence.
  expect(await activities.locator('#activities-status').textContent()).toBe(
    `Pulled ${expected.length} activities (${plural(calls, 'call')}, ${plural(emails, 'email')}) into "${SHEET}": ${expected.length} new, 0 refreshed.`,
  );

  expect(sheetRows()).toEqual([HEADER, ...expected.map(expectedRow)]);

  // Close was asked for calls and emails of those days (the spreadsheet's midnights), nothing else.
  const lists = preview.fake!.log.filter((e) => e.path.startsWith('/activity/'));
  expect([...new Set(lists.map((e) => `${e.method} ${e.path}`))].sort()).toEqual([
    'GET /activity/call/',
    'GET /activity/email/',
  ]);
  for (const e of lists) {
    expect(e.query.date_created__gte).toBe(FROM_UTC);
    expect(e.query.date_created__lt).toBe(TO_UTC);
  }
});

test('pulling again refreshes the same rows in place; the roll-up per day is built from the sheet', async () => {
  const activities = section();
  const before = sheetRows();
  await activities.getByRole('button', { name: 'Pull activities' }).click();
  const n = before.length - 1;
  await activities.locator('#activities-summary', { hasText: `0 new, ${n} refreshed` }).waitFor();
  expect(sheetRows()).toEqual(before);

  await activities.getByLabel('Activity report period').selectOption('day');
  await activities.getByRole('button', { name: 'Build activity report' }).click();
  const status = activities.locator('#activities-report-status');
  await status.locator('.done').waitFor();
  const rows = before.slice(1);
  const users = new Set(rows.map((r) => r[3])).size;
  const days = new Set(rows.map((r) => r[2].slice(0, 10))).size;
  expect(await status.textContent()).toBe(
    `Activity report "Close Activity Report" built from "${SHEET}": ${n} activities of ${users} users over ${days} days.`,
  );
  expect(preview.view().sheets.some((s) => s.name === 'Close Activity Report')).toBe(true);
});

test('only the leads of a Smart View: its leads searched, their calls and emails of those days', async () => {
  const activities = section();
  await activities.getByRole('checkbox', { name: 'Only the leads of a Smart View' }).check();
  const views = activities.getByRole('combobox', { name: 'Smart View of the activities' });
  await views.locator('option', { hasText: 'Potential leads' }).waitFor({ state: 'attached' });
  const view = preview.fake!.org.savedSearches.find((v) => v.name === 'Potential leads')!;
  await views.selectOption({ label: 'Potential leads' });
  preview.fake!.log.length = 0;
  await activities.getByRole('button', { name: 'Pull activities' }).click();
  const summary = activities.locator('#activities-summary');
  await summary.waitFor();

  const potential = preview.fake!.org.leads.filter((l) => l.status_label === 'Potential');
  const ids = new Set(potential.map((l) => l.id));
  const expected = expectedActivities().filter((a) => ids.has(String(a.lead_id)));
  const calls = expected.filter((a) => a._type === 'Call').length;
  const emails = expected.length - calls;
  expect(expected.length).toBeGreaterThan(0);
  expect(await summary.locator('p').allTextContents()).toEqual([
    `${plural(expected.length, 'activity', 'activities')} · ${[calls ? plural(calls, 'call') : '', emails ? plural(emails, 'email') : ''].filter(Boolean).join(', ')}`,
    `Into sheet “${SHEET}” of ${potential.length} leads: 0 new, ${expected.length} refreshed.`,
  ]);
  const searches = preview.fake!.log.filter((e) => e.method === 'POST' && e.path === '/data/search/');
  expect(searches.length).toBeGreaterThan(0);
  for (const e of searches) expect(JSON.stringify(e.body)).toContain(`"saved_search_id":"${view.id}"`);
  const lists = preview.fake!.log.filter((e) => e.path.startsWith('/activity/'));
  expect([...new Set(lists.map((e) => e.path))].sort()).toEqual(['/activity/call/', '/activity/email/']);
  for (const e of lists)
    expect([e.query.date_created__gte, e.query.date_created__lt]).toEqual([FROM_UTC, TO_UTC]);
  await activities.getByRole('checkbox', { name: 'Only the leads of a Smart View' }).uncheck();
});

test('nothing chosen, or the days the wrong way round: the form says what to fix and sends nothing', async () => {
  const activities = section();
  const sent = preview.fake!.log.length;
  await activities.getByRole('checkbox', { name: 'Calls' }).uncheck();
  await activities.getByRole('checkbox', { name: 'Emails' }).uncheck();
  await activities.getByRole('button', { name: 'Pull activities' }).click();
  const status = activities.locator('#activities-status');
  await status.locator('.error').waitFor();
  expect(await status.textContent()).toBe('Choose at least one type of activity.');
  expect(await ui.page.frame({ url: /\/sidebar/ })!.evaluate(() => document.activeElement?.id)).toBe(
    'activities-type-call',
  );

  await activities.getByRole('checkbox', { name: 'Calls' }).check();
  await activities.getByLabel('From').fill(UNTIL);
  await activities.getByLabel('To', { exact: true }).fill(SINCE);
  await activities.getByRole('button', { name: 'Pull activities' }).click();
  await status.filter({ hasText: 'The From day is after the To day: swap them.' }).waitFor();
  expect(preview.fake!.log.length).toBe(sent);
});
