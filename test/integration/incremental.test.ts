// Incremental refresh on dist/: a re-pull asks Close only for the leads changed since the last pull and
// for the deletions in its Event Log, rewrites only the cells whose value changed, keeps the rep's
// unpushed edits, and falls back to reading every lead when the shortcut cannot be trusted.
import { buildSampleOrg } from '../../dev/fake-close';
import { connectedWorld } from './harness';
import { SHEET, edit, sent, view } from './sheet';

const AUTH = { Authorization: `Basic ${Buffer.from('api_test_key_1:').toString('base64')}` };
const api = (w: ReturnType<typeof connectedWorld>, method: string, path: string, body?: object) =>
  JSON.parse(
    w.close.handle({
      method,
      url: `https://api.close.com/api/v1${path}`,
      headers: AUTH,
      body: body ? JSON.stringify(body) : '',
    }).body,
  );

test('explore', () => {
  const w = connectedWorld({ org: buildSampleOrg({ leads: 12 }) });
  w.app.pullLeads({});
  const ids = [...w.close.leads.keys()];
  w.clock.advance(60 * 60_000);
  edit(w, ids[3], 'Description', 'my words');
  w.close.touchLead(ids[3], { name: 'A renamed' });
  w.close.touchLead(ids[4], { name: 'B renamed' });
  api(w, 'DELETE', `/lead/${ids[5]}/`);
  const created = api(w, 'POST', '/lead/', { name: 'Brand New Co' });
  w.runtime.requests.length = 0;
  w.runtime.stats.writes = [];
  const summary = w.app.pullLeads({});
  console.log(JSON.stringify(summary), JSON.stringify(sent(w).map(r=>decodeURIComponent(r.path)), null, 1), JSON.stringify(w.runtime.stats.writes));
  console.log(created.id, ids.slice(3,6), JSON.stringify(view(w).header));
});
