// Multi-value push modes, and Close's schema changing under a pulled sheet.
import { SAMPLE_FIELDS, WAYNE_LEAD_ID } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { SHEET, cell, edit, sent, view } from './sheet';

const interest = `custom.${SAMPLE_FIELDS.interest}`;

describe('multi-value fields: replace by default, or add / remove what the rep changed', () => {
  function setup() {
    const w = connectedWorld();
    w.app.pullLeads({});
    // The rep turns "Choice 1; Choice 2" into "Choice 2; Choice 3" while a colleague adds Choice 5 in Close.
    edit(w, WAYNE_LEAD_ID, 'Product Interest', 'Choice 2; Choice 3');
    w.close.touchLead(WAYNE_LEAD_ID, { [interest]: ['Choice 1', 'Choice 2', 'Choice 5'] });
    w.runtime.requests.length = 0;
    return w;
  }

  test('replace: the colleague changed the field, so it is a conflict and nothing is sent', () => {
    const w = setup();
    expect(w.app.pushChanges({})).toMatchObject({ conflicts: 1, updated: 0 });
    expect(sent(w, 'PUT')).toEqual([]);
  });

  test('add: only the added value is sent with .add, and the preview shows it', () => {
    const w = setup();
    const preview = w.app.previewChanges({ multiValue: 'add' });
    expect(preview.items).toMatchObject([
      { field: 'Product Interest', old: 'Choice 1; Choice 2', new: '+Choice 3', state: 'send' },
    ]);
    expect(w.app.pushChanges({ multiValue: 'add' })).toMatchObject({ updated: 1, conflicts: 0 });
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [`${interest}.add`]: 'Choice 3' } },
    ]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![interest]).toEqual([
      'Choice 1',
      'Choice 2',
      'Choice 5',
      'Choice 3',
    ]);
  });

  test('remove: only the removed value is sent with .remove', () => {
    const w = setup();
    expect(w.app.previewChanges({ multiValue: 'remove' }).items).toMatchObject([{ new: '−Choice 1' }]);
    w.app.pushChanges({ multiValue: 'remove' });
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [`${interest}.remove`]: 'Choice 1' } },
    ]);
    expect(w.close.leads.get(WAYNE_LEAD_ID)![interest]).toEqual(['Choice 2', 'Choice 5']);
  });
});

describe('schema drift', () => {
  test('a renamed field gets its new header; a header the rep renamed is theirs', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    const fields = w.close.org.customFields;
    fields.find((f) => f.id === SAMPLE_FIELDS.industry)!.name = 'Sector';
    fields.find((f) => f.id === SAMPLE_FIELDS.employees)!.name = 'Headcount';
    w.runtime.spreadsheet.userEdit(SHEET, [1, view(w).col('Employees')], 'Staff (mine)');
    w.app.pullLeads({});
    const header = view(w).header;
    expect(header).toContain('Sector');
    expect(header).not.toContain('Industry');
    expect(header).toContain('Staff (mine)');
  });

  test('a new field gets a column at the end; a deleted one keeps its column, marked, never written or pushed', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    const fields = w.close.org.customFields;
    const source = fields.findIndex((f) => f.id === SAMPLE_FIELDS.source);
    const [removed] = fields.splice(source, 1);
    fields.push({
      ...removed,
      id: 'cf_NewFieldNewFieldNewFieldNewFieldNewField01',
      name: 'Region',
      type: 'text',
    });
    const region = 'custom.cf_NewFieldNewFieldNewFieldNewFieldNewField01';
    w.close.leads.get(WAYNE_LEAD_ID)![region] = 'EMEA';
    const before = view(w);
    expect(w.app.pullLeads({})).toMatchObject({ done: true });
    const after = view(w);
    expect(after.header).toHaveLength(before.header.length + 1);
    expect(after.header.at(-1)).toBe('Region');
    // The re-pull's first pages, asked for before the schema with every custom field, hold it too.
    expect(after.cell(WAYNE_LEAD_ID, 'Region')).toBe('EMEA');
    expect(after.header).toContain('Lead Source (deleted in Close)');
    // The rep's old values stay; editing them is not pushed.
    expect(after.cell(WAYNE_LEAD_ID, 'Lead Source (deleted in Close)')).toBe('Website contact form');
    edit(w, WAYNE_LEAD_ID, 'Lead Source (deleted in Close)', 'anything');
    w.runtime.requests.length = 0;
    expect(w.app.previewChanges({}).items).toEqual([]);
  });

  test('a field whose type changed is never pushed with the wrong type; the next pull rewrites it', () => {
    const w = connectedWorld();
    w.app.pullLeads({});
    // An admin turns "Reference Code" (text) into a number field; Close converts the values.
    const field = w.close.org.customFields.find((f) => f.id === SAMPLE_FIELDS.referenceCode)!;
    field.type = 'number';
    for (const lead of w.close.leads.values()) delete lead[`custom.${field.id}`];
    edit(w, WAYNE_LEAD_ID, 'Reference Code', '42');
    const preview = w.app.previewChanges({});
    expect(preview.items).toMatchObject([
      {
        field: 'Reference Code',
        state: 'invalid',
        message: 'Its type changed in Close (text → number) since your pull: pull again first',
      },
    ]);
    w.runtime.requests.length = 0;
    w.app.pushChanges({});
    expect(sent(w, 'PUT')).toEqual([]);
    w.app.pullLeads({ discardEdits: true });
    const info = w.runtime.spreadsheet.cellInfo(SHEET, [
      view(w).row(WAYNE_LEAD_ID),
      view(w).col('Reference Code'),
    ]);
    expect(info.numberFormat).toBe('General');
    edit(w, WAYNE_LEAD_ID, 'Reference Code', '42');
    expect(cell(w, WAYNE_LEAD_ID, 'Reference Code')).toBe(42);
    w.app.pushChanges({});
    expect(sent(w, 'PUT')).toEqual([
      { method: 'PUT', path: `/lead/${WAYNE_LEAD_ID}/`, body: { [`custom.${field.id}`]: 42 } },
    ]);
  });
});
