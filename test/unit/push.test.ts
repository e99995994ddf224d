// The push as Close and the rep see it, run from src/ (test/unit/core-world.ts): the exact requests
// sent, the cells and Sync statuses written, the summary. Each test pins a decision of the push plan
// or the conflict check that a small change to the code would get wrong.
import { buildSampleOrg, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { type CoreWorld, coreWorld, STAMP, searchCall } from './core-world';

const pulled = (): CoreWorld => {
  const w = coreWorld();
  w.pull();
  w.clearSent();
  return w;
};
const others = (w: CoreWorld) => [...w.close.leads.keys()].filter((id) => id !== WAYNE_LEAD_ID).sort();
const check = (id: string, fields: string) => ({ method: 'get', path: `/lead/${id}/?_fields=id,${fields}` });
const put = (id: string, body: object) => ({ method: 'put', path: `/lead/${id}/`, body });
const summary = (counts: string) => `Pushed: ${counts}.`;

test('one edited field: a check of just that field, a PUT of just that field, the row says updated', () => {
  const w = pulled();
  w.edit(WAYNE_LEAD_ID, 'Description', 'hello');
  const s = w.push();
  expect(s.message).toBe(
    summary('1 updated, 0 created, 0 failed, 0 with conflicts, 0 with invalid values, 11 unchanged'),
  );
  expect(w.leadCalls()).toEqual([
    searchCall([WAYNE_LEAD_ID], ['description']),
    put(WAYNE_LEAD_ID, { description: 'hello' }),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  expect(w.cell(others(w)[0], 'Sync status')).toBe(`unchanged · ${STAMP}`);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('hello');
  // The snapshot moved forward: a second push sends nothing at all.
  w.clearSent();
  expect(w.push().message).toBe(
    summary('0 updated, 0 created, 0 failed, 0 with conflicts, 0 with invalid values, 12 unchanged'),
  );
  expect(w.leadCalls()).toEqual([]);
});

test('Close already holding the rep’s value is no conflict: nothing is sent, the row is up to date', () => {
  const w = pulled();
  w.edit(WAYNE_LEAD_ID, 'Description', 'same as Close');
  w.close.touchLead(WAYNE_LEAD_ID, { description: 'same as Close' });
  const s = w.push();
  expect(s).toMatchObject({ updated: 1, conflicts: 0, failed: 0, results: [] });
  // The search shows the value there already: a GET confirms it before the field is taken as done.
  expect(w.leadCalls()).toEqual([
    searchCall([WAYNE_LEAD_ID], ['description']),
    check(WAYNE_LEAD_ID, 'description'),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`already up to date in Close · ${STAMP}`);
  w.clearSent();
  w.push();
  expect(w.leadCalls()).toEqual([]);
});

test('a conflict is not sent, and stays a conflict: the next push does not overwrite the colleague’s value', () => {
  const w = pulled();
  const was = w.close.leads.get(WAYNE_LEAD_ID)!.description;
  w.edit(WAYNE_LEAD_ID, 'Name', 'Wayne Corp');
  w.edit(WAYNE_LEAD_ID, 'Description', 'mine');
  w.close.touchLead(WAYNE_LEAD_ID, { description: 'theirs' });
  const conflict = `conflict: Description changed in Close since your pull: Close has "theirs", you have "mine" (was ${JSON.stringify(was)}). Not sent.`;
  const first = w.push();
  expect(first).toMatchObject({ updated: 1, conflicts: 1, failed: 0 });
  expect(first.results).toEqual([
    {
      row: w.rowOf(WAYNE_LEAD_ID),
      leadId: WAYNE_LEAD_ID,
      leadName: 'Wayne Corp',
      outcome: 'conflict',
      message: `updated; ${conflict} · ${STAMP}`,
    },
  ]);
  // The search shows a third value: a GET confirms the conflict before anything is decided.
  expect(w.leadCalls()).toEqual([
    searchCall([WAYNE_LEAD_ID], ['name', 'description']),
    check(WAYNE_LEAD_ID, 'name,description'),
    put(WAYNE_LEAD_ID, { name: 'Wayne Corp' }),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated; ${conflict} · ${STAMP}`);
  w.clearSent();
  const second = w.push();
  expect(second).toMatchObject({ updated: 0, conflicts: 1 });
  expect(w.leadCalls()).toEqual([
    searchCall([WAYNE_LEAD_ID], ['description']),
    check(WAYNE_LEAD_ID, 'description'),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`${conflict} · ${STAMP}`);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('theirs');
});

test('an invalid value is reported on its row and not sent; the lead’s valid edit still goes', () => {
  const w = pulled();
  w.edit(WAYNE_LEAD_ID, 'Employees', 'lots');
  w.edit(WAYNE_LEAD_ID, 'Description', 'valid');
  const s = w.push();
  expect(s).toMatchObject({ updated: 1, invalid: 1, failed: 0, conflicts: 0 });
  expect(w.leadCalls()).toEqual([
    searchCall([WAYNE_LEAD_ID], ['description']),
    put(WAYNE_LEAD_ID, { description: 'valid' }),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
    `updated; invalid: Employees: "lots" is not a number · ${STAMP}`,
  );
  expect(s.results.map((r) => r.outcome)).toEqual(['invalid']);
});

test('a lead deleted in Close since the pull: an error on its row, nothing sent; the others still go', () => {
  const w = pulled();
  const [a, b] = others(w);
  w.edit(a, 'Description', 'edit a');
  w.edit(b, 'Description', 'edit b');
  w.close.leads.delete(a);
  const s = w.push();
  expect(s).toMatchObject({ updated: 1, failed: 1 });
  // The search does not find `a`: it is read with a GET, whose 404 says it is gone.
  expect(w.leadCalls()).toEqual([
    searchCall([a, b], ['description']),
    check(a, 'description'),
    put(b, { description: 'edit b' }),
  ]);
  expect(w.cell(a, 'Sync status')).toBe(
    `error: This lead is not in Close any more (deleted or merged) · ${STAMP}`,
  );
  expect(w.cell(b, 'Sync status')).toBe(`updated · ${STAMP}`);
});

test('leads are checked and sent in Lead ID order, one PUT each with only its changed keys', () => {
  const w = pulled();
  const ids = others(w).slice(0, 3);
  for (const id of [...ids].reverse()) w.edit(id, 'Description', `d ${id}`);
  w.edit(ids[1], 'Name', 'Renamed');
  w.push();
  expect(w.leadCalls()).toEqual([
    searchCall(ids, ['description', 'name']),
    put(ids[0], { description: `d ${ids[0]}` }),
    put(ids[1], { name: 'Renamed', description: `d ${ids[1]}` }),
    put(ids[2], { description: `d ${ids[2]}` }),
  ]);
});

test('a new row creates a lead: the POST has its fields, its id is written, the next push creates nothing', () => {
  const w = pulled();
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row, 'Employees', '42');
  const s = w.push();
  expect(s).toMatchObject({ created: 1, updated: 0, failed: 0 });
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  expect(w.sent('post')).toEqual([
    {
      method: 'post',
      path: '/lead/',
      body: { name: 'Initech', [Object.keys(created).find((k) => created[k] === 42)!]: 42 },
    },
  ]);
  expect(w.rows()[row - 1][w.col('Lead ID') - 1]).toBe(created.id);
  // The Status the rep left empty shows the one Close gave the lead (else the next push would read the
  // empty cell as the rep clearing it).
  expect(w.cell(created.id, 'Status')).toBe('Potential');
  expect(w.cell(created.id, 'Sync status')).toBe(`created · ${STAMP}`);
  w.clearSent();
  expect(w.push()).toMatchObject({ created: 0, updated: 0, invalid: 0, failed: 0, unchanged: 13 });
  expect(w.leadCalls()).toEqual([]);
});

test('rows the rep sorts and inserts while Close answers: each status and new id lands on its own row', () => {
  const w = pulled();
  const [a, b] = others(w);
  w.edit(a, 'Description', 'edit a');
  const row = w.rows().length + 1;
  w.type(row, 'Name', 'Initech');
  w.type(row + 1, 'Description', 'no name');
  w.edit(b, 'Name', 'Aaa first');
  w.before(
    (req) => req.method === 'put',
    () => {
      w.sheet().sort(w.col('Name'), false);
      w.sheet().insertRowBefore(2);
    },
  );
  const s = w.push();
  expect(s).toMatchObject({ updated: 2, created: 1, failed: 1 });
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const rows = w.rows();
  const [id, name, status] = ['Lead ID', 'Name', 'Sync status'].map((h) => w.col(h) - 1);
  const got = rows.slice(1).map((r) => [r[id], r[name], r[status]]);
  // The inserted row on top keeps no status; every other row has its own lead's.
  const want = [
    ['', '', ''],
    ...got
      .slice(1)
      .map(([rowId, rowName]) => [
        rowId,
        rowName,
        rowId === a || rowId === b
          ? `updated · ${STAMP}`
          : rowId === created.id
            ? `created · ${STAMP}`
            : rowId === ''
              ? `error: No Lead ID and no Name: type a Name to create a lead · ${STAMP}`
              : `unchanged · ${STAMP}`,
      ]),
  ];
  expect(got).toEqual(want);
  expect(got.map((g) => g[1])).toContain('Initech');
  expect(got.filter((g) => g[0] === '')).toHaveLength(2);
});

test('choices that look like a percent, a number or a date stay text: a pull and a push change nothing; a typed one is sent as typed', () => {
  const org = buildSampleOrg({ leads: 12 });
  const industry = org.customFields.find((f) => f.name === 'Industry')!;
  const tricky = ['10%', '1,000', '2024-05-01', '007', 'TRUE'];
  industry.choices = [...(industry.choices ?? []), ...tricky];
  const key = `custom.${industry.id}`;
  const ids = org.leads.map((l) => l.id).sort();
  tricky.forEach((choice, i) => {
    org.leads.find((l) => l.id === ids[i])![key] = choice;
  });
  const w = coreWorld({ org });
  w.pull();
  expect(ids.slice(0, 5).map((id) => w.cell(id, 'Industry'))).toEqual(tricky);
  w.clearSent();
  expect(w.push()).toMatchObject({ updated: 0, invalid: 0, failed: 0, unchanged: 12 });
  expect(w.leadCalls()).toEqual([]);
  w.edit(ids[5], 'Industry', '1,000');
  w.edit(ids[6], 'Industry', '10%');
  expect(w.push()).toMatchObject({ updated: 2, invalid: 0 });
  expect(w.sent('put')).toEqual([put(ids[5], { [key]: '1,000' }), put(ids[6], { [key]: '10%' })]);
});

test('a check Close fails (a server error, not a 404): the row says what Close said, nothing is sent', () => {
  const w = pulled();
  w.edit(WAYNE_LEAD_ID, 'Description', 'hello');
  // The search fails, and so does the GET that stands in for it.
  w.close.injectFaults([
    { match: { method: 'post', pathPrefix: '/data/search/' }, status: 503, times: 5 },
    { match: { method: 'get', pathPrefix: '/lead/' }, status: 503, times: 5 },
  ]);
  expect(w.push()).toMatchObject({ updated: 0, failed: 1 });
  expect(w.sent('put')).toEqual([]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
    `error: Close had a server error (503); try again later · ${STAMP}`,
  );
});

describe('multi-value fields (Product Interest: Wayne has Choice 1 and Choice 2)', () => {
  const interest = (w: CoreWorld) =>
    `custom.${w.close.org.customFields.find((f) => f.name === 'Product Interest')!.id}`;

  test('replace (the default): the whole list is sent, and a colleague’s change is a conflict', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3');
    w.push();
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [key]: ['Choice 1', 'Choice 2', 'Choice 3'] })]);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1');
    w.close.touchLead(WAYNE_LEAD_ID, { [key]: ['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4'] });
    w.clearSent();
    expect(w.push()).toMatchObject({ updated: 0, conflicts: 1 });
    expect(w.sent('put')).toEqual([]);
  });

  test('add only: just the added value is sent, and a colleague’s added value survives without a conflict', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3');
    w.close.touchLead(WAYNE_LEAD_ID, { [key]: ['Choice 1', 'Choice 2', 'Choice 4'] });
    expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0, failed: 0 });
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [`${key}.add`]: 'Choice 3' })]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2', 'Choice 4', 'Choice 3']);
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  });

  test('remove only: just the removed value is sent', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1');
    expect(w.push({ multiValue: 'remove' })).toMatchObject({ updated: 1, conflicts: 0 });
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [`${key}.remove`]: 'Choice 2' })]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1']);
  });

  test('add only, when a colleague already added the same value: nothing is sent, the row is up to date', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3');
    w.close.touchLead(WAYNE_LEAD_ID, { [key]: ['Choice 3', 'Choice 1', 'Choice 2'] });
    expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0 });
    expect(w.sent('put')).toEqual([]);
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`already up to date in Close · ${STAMP}`);
  });

  test('add only, two values of which a colleague already added one: only the other is sent', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3; Choice 4');
    w.close.touchLead(WAYNE_LEAD_ID, { [key]: ['Choice 1', 'Choice 2', 'Choice 4'] });
    expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0, failed: 0 });
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [`${key}.add`]: 'Choice 3' })]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2', 'Choice 4', 'Choice 3']);
    // The push log (what undo restores) has Close's list before the PUT, the colleague's value in it.
    const log = w.runtime.spreadsheet.dump('Close Sync Push Log') as string[][];
    expect(log.slice(1).map((r) => [r[4], r[6], r[8], r[9]])).toEqual([
      [
        WAYNE_LEAD_ID,
        key,
        '["Choice 1","Choice 2","Choice 4"]',
        '["Choice 1","Choice 2","Choice 4","Choice 3"]',
      ],
    ]);
  });

  test('add only, when the rep only removed a value: nothing is sent, no row counts as updated, Close keeps the value', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1');
    const s = w.push({ multiValue: 'add' });
    expect(w.sent('put')).toEqual([]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2']);
    expect([s.updated, s.conflicts, s.failed]).toEqual([0, 0, 0]);
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
      `not sent: this push only adds values, and this row only removed some (they stay in Close) · ${STAMP}`,
    );
    expect(w.cell(WAYNE_LEAD_ID, 'Product Interest')).toBe('Choice 1');
  });

  test('remove only, when the rep only added a value: nothing is sent, the row says Close does not get it', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3');
    const s = w.push({ multiValue: 'remove' });
    expect(w.sent('put')).toEqual([]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2']);
    expect([s.updated, s.conflicts, s.failed]).toEqual([0, 0, 0]);
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
      `not sent: this push only removes values, and this row only added some (Close does not get them) · ${STAMP}`,
    );
  });

  test('add only, several values on two leads: one value per PUT, a round per value, each lead once per round', () => {
    const w = coreWorld();
    const key = interest(w);
    const other = others(w)[0];
    w.close.touchLead(other, { [key]: null });
    w.pull();
    w.clearSent();
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3; Choice 4; Choice 5');
    w.edit(other, 'Product Interest', 'Choice 5; Choice 4');
    w.edit(other, 'Description', 'two values');
    expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 2, conflicts: 0, failed: 0 });
    const [first, second] = [WAYNE_LEAD_ID, other].sort();
    const wanted: Record<string, string[]> = {
      [WAYNE_LEAD_ID]: ['Choice 3', 'Choice 4', 'Choice 5'],
      [other]: ['Choice 5', 'Choice 4'],
    };
    const firstBody = (id: string) =>
      id === other
        ? { description: 'two values', [`${key}.add`]: 'Choice 5' }
        : { [`${key}.add`]: 'Choice 3' };
    expect(w.sent('put')).toEqual([
      put(first, firstBody(first)),
      put(second, firstBody(second)),
      put(first, { [`${key}.add`]: wanted[first][1] }),
      put(second, { [`${key}.add`]: wanted[second][1] }),
      put(WAYNE_LEAD_ID, { [`${key}.add`]: 'Choice 5' }),
    ]);
    expect(w.close.leads.get(other)![key]).toEqual(['Choice 5', 'Choice 4']);
    expect(w.close.leads.get(other)!.description).toBe('two values');
    // The snapshot follows Close: the next push sends nothing.
    w.clearSent();
    w.push({ multiValue: 'add' });
    expect(w.sent('put')).toEqual([]);
  });

  test('add only, a later value refused: the status says what Close took and holds now, and the next push sends only the rest', () => {
    const w = pulled();
    const key = interest(w);
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 1; Choice 2; Choice 3; Choice 4');
    w.edit(WAYNE_LEAD_ID, 'Description', 'with the first value');
    w.before(
      (req) => req.method === 'put' && String(req.body).includes('Choice 4'),
      () => w.close.injectFaults([{ match: { method: 'put' }, status: 503, times: 5 }]),
    );
    const s = w.push({ multiValue: 'add' });
    expect(s).toMatchObject({ updated: 0, failed: 1 });
    // Close took the first PUT (Description and Choice 3): the row must not read as if nothing went.
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
      `error: only part of this row reached Close (Close had a server error (503); try again later): updated Description; Product Interest: added Choice 3, not added Choice 4. Close now has Product Interest "Choice 1; Choice 2; Choice 3". Push again to send the rest · ${STAMP}`,
    );
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2', 'Choice 3']);
    expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('with the first value');
    // The cell keeps the rep's whole list; the next push sends only what Close lacks, nothing twice.
    expect(w.cell(WAYNE_LEAD_ID, 'Product Interest')).toBe('Choice 1; Choice 2; Choice 3; Choice 4');
    w.clearSent();
    expect(w.push({ multiValue: 'add' })).toMatchObject({ updated: 1, failed: 0 });
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [`${key}.add`]: 'Choice 4' })]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 1', 'Choice 2', 'Choice 3', 'Choice 4']);
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  });

  test('remove only, a later value refused: the status says what was removed, what was not, and what Close holds', () => {
    const w = coreWorld();
    const key = interest(w);
    w.close.touchLead(WAYNE_LEAD_ID, { [key]: ['Choice 1', 'Choice 2', 'Choice 3'] });
    w.pull();
    w.clearSent();
    w.edit(WAYNE_LEAD_ID, 'Product Interest', 'Choice 2');
    w.before(
      (req) => req.method === 'put' && String(req.body).includes('Choice 3'),
      () => w.close.injectFaults([{ match: { method: 'put' }, status: 503, times: 5 }]),
    );
    w.push({ multiValue: 'remove' });
    expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
      `error: only part of this row reached Close (Close had a server error (503); try again later): Product Interest: removed Choice 1, not removed Choice 3. Close now has Product Interest "Choice 2; Choice 3". Push again to send the rest · ${STAMP}`,
    );
    w.clearSent();
    w.push({ multiValue: 'remove' });
    expect(w.sent('put')).toEqual([put(WAYNE_LEAD_ID, { [`${key}.remove`]: 'Choice 3' })]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![key]).toEqual(['Choice 2']);
  });
});

test('Close refuses one field for its value (not a permission): the rest goes, the status names the refusal and no permission advice', () => {
  const w = pulled();
  const industry = w.close.org.customFields.find((f) => f.name === 'Industry')!;
  const choice = industry.choices!.find(
    (c) => c !== w.close.leads.get(WAYNE_LEAD_ID)![`custom.${industry.id}`],
  )!;
  w.edit(WAYNE_LEAD_ID, 'Industry', choice);
  w.edit(WAYNE_LEAD_ID, 'Description', 'described');
  // A Close admin takes the choice out of the field while the push runs.
  w.before(
    (req) => req.method === 'put',
    () => {
      industry.choices = industry.choices!.filter((c) => c !== choice);
    },
  );
  expect(w.push()).toMatchObject({ updated: 1, failed: 1 });
  expect(w.sent('put')).toEqual([
    put(WAYNE_LEAD_ID, { [`custom.${industry.id}`]: choice, description: 'described' }),
    put(WAYNE_LEAD_ID, { description: 'described' }),
  ]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(
    `updated 1 field; Close refused Industry: Invalid choice: '${choice}' (your value stays in the cell, not sent) · ${STAMP}`,
  );
});
