// A row pushed with cells left empty becomes a lead that Close fills in (its status: the org's first).
// Those values go into the row's empty cells, and the snapshot records the lead as Close returned it,
// so the next push sends nothing for the row and the next pull counts no unpushed edit.
import { connectedWorld } from './harness';
import { SHEET, STAMP, pulled, sent, sheetOf, typeNewRow, view } from './sheet';

test("a new row with only a Name gets Close's status and dates, and is left alone afterwards", () => {
  const w = pulled();
  const row = typeNewRow(w, { Name: 'Initech', Description: 'typed by the rep' });
  expect(w.app.pushChanges({})).toMatchObject({ created: 1, failed: 0, invalid: 0 });
  const created = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const firstStatus = w.close.org.leadStatuses[0];
  expect(created.status_id).toBe(firstStatus.id);
  const after = view(w);
  expect(after.rows[row - 1][after.col('Lead ID') - 1]).toBe(created.id);
  expect(after.cell(created.id, 'Status')).toBe(firstStatus.label);
  expect(after.cell(created.id, 'Description')).toBe('typed by the rep');
  expect(after.cell(created.id, 'Name')).toBe('Initech');
  expect(after.cell(created.id, 'Sync status')).toBe(`created · ${STAMP}`);
  // Read-only columns Close fills are shown as a pull shows them; fields Close left empty stay empty.
  expect((after.cell(created.id, 'Created') as Date).getTime()).toBe(
    Date.parse(created.date_created as string),
  );
  expect((after.cell(created.id, 'Updated') as Date).getTime()).toBe(
    Date.parse(created.date_updated as string),
  );
  expect(after.cell(created.id, 'Opportunities')).toBe(0);
  expect(after.cell(created.id, 'URL')).toBe('');
  expect(after.cell(created.id, 'Industry')).toBe('');

  w.runtime.requests.length = 0;
  expect(w.app.pushChanges({})).toMatchObject({ created: 0, updated: 0, failed: 0, invalid: 0 });
  expect(sent(w, 'POST')).toEqual([]);
  expect(sent(w, 'PUT')).toEqual([]);
  expect(view(w).cell(created.id, 'Sync status')).toBe(`unchanged · ${STAMP}`);

  const pull = w.app.pullLeads({});
  expect(pull.message).not.toContain('unpushed edit');
  expect(view(w).cell(created.id, 'Status')).toBe(firstStatus.label);
  expect(view(w).cell(created.id, 'Description')).toBe('typed by the rep');
});

test("rows moved and cells typed while Close creates: Close's values go only into the still-empty cells of each lead's own row", () => {
  let during: (() => void) | undefined;
  const w = connectedWorld({
    intercept: (req) => {
      if (during && req.method === 'POST') {
        const act = during;
        during = undefined;
        act();
      }
      return undefined;
    },
  });
  w.app.pullLeads({});
  const v = view(w);
  const row = v.rows.length + 1;
  const book = w.runtime.spreadsheet;
  book.userEdit(SHEET, [row, v.col('Name')], 'Initech');
  book.userEdit(SHEET, [row + 1, v.col('Name')], 'Hooli');
  sheetOf(w).getRange(row, v.col('Updated')).setFormula('=""');
  during = () => {
    sheetOf(w).insertRowBefore(2);
    book.userEdit(SHEET, [row + 2, v.col('Status')], 'Qualified');
  };
  expect(w.app.pushChanges({})).toMatchObject({ created: 2, failed: 0, invalid: 0 });
  const initech = [...w.close.leads.values()].find((l) => l.name === 'Initech')!;
  const hooli = [...w.close.leads.values()].find((l) => l.name === 'Hooli')!;
  const after = view(w);
  expect(after.row(initech.id)).toBe(row + 1);
  expect(after.cell(initech.id, 'Status')).toBe(w.close.org.leadStatuses[0].label);
  expect(
    sheetOf(w)
      .getRange(row + 1, v.col('Updated'))
      .getFormula(),
  ).toBe('=""');
  // Typed while the push ran: kept, and the next push sends it.
  expect(after.cell(hooli.id, 'Status')).toBe('Qualified');
  expect(after.rows[1]).toEqual(after.header.map(() => ''));
  w.runtime.requests.length = 0;
  w.app.pushChanges({});
  const qualified = w.close.org.leadStatuses.find((s) => s.label === 'Qualified')!.id;
  expect(sent(w, 'PUT')).toEqual([
    { method: 'PUT', path: `/lead/${hooli.id}/`, body: { status_id: qualified } },
  ]);
  expect(sent(w, 'POST').filter((r) => r.path === '/lead/')).toEqual([]);
});
