// The push's batched conflict check (src/core/sync/batched-read.ts) when Close's answer to the search is
// not a page of leads: whatever the search says, a lead it does not show is read with a GET, and the
// rep's edit goes (the docs promise a result page; a proxy's empty 200 or an error page are the harsher
// reading). The search Close answers normally is pinned in push.test.ts and plan.test.ts.
import { WAYNE_LEAD_ID } from '../../dev/fake-close';
import type { CloseCall, CloseClient, CloseReply } from '../../src/core/close/client';
import { type CoreWorld, coreWorld, STAMP, searchCall } from './core-world';

/** A pulled world whose searches Close answers with `answer` (given the lead as Close holds it). */
function searchAnswered(answer: (lead: Record<string, unknown>) => CloseReply): CoreWorld {
  const w = coreWorld();
  w.pull();
  const real = w.deps.client;
  const isSearch = (c: CloseCall) => c.method === 'post' && c.path === '/data/search/';
  const scripted: Pick<CloseClient, 'callAll'> = {
    callAll: (calls, stopAt) => {
      const others = real.callAll(
        calls.filter((c) => !isSearch(c)),
        stopAt,
      );
      return calls.map((c) =>
        isSearch(c) ? answer({ ...w.close.leads.get(WAYNE_LEAD_ID)! }) : others.shift()!,
      );
    },
  };
  w.deps.client = Object.assign(Object.create(real), scripted);
  w.clearSent();
  return w;
}

const get = (fields: string) => ({ method: 'get', path: `/lead/${WAYNE_LEAD_ID}/?_fields=id,${fields}` });
const put = (body: object) => ({ method: 'put', path: `/lead/${WAYNE_LEAD_ID}/`, body });

test.each([
  ['an empty body (no JSON at all)', null],
  ['an object that is no result page', { error: 'maintenance' }],
  ['a page whose `data` is not a list', { data: { id: WAYNE_LEAD_ID } }],
  [
    'a page whose leads have no string id',
    { data: [null, { id: 42, description: 'x' }, { description: 'y' }] },
  ],
])('a search answered with %s: the lead is read with a GET and its edit goes', (_, data) => {
  const w = searchAnswered(() => ({ ok: true, status: 200, data }));
  w.edit(WAYNE_LEAD_ID, 'Description', 'hello');
  expect(w.push()).toMatchObject({ updated: 1, failed: 0, conflicts: 0 });
  // The search never reached the fake Close (it was answered above): the GET and the PUT did.
  expect(w.leadCalls()).toEqual([get('description'), put({ description: 'hello' })]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
  expect(w.close.leads.get(WAYNE_LEAD_ID)!.description).toBe('hello');
});

test('a page with a stray null among the leads: the lead it shows is judged from it, no GET', () => {
  const w = searchAnswered((lead) => ({
    ok: true,
    status: 200,
    data: { data: [null, { id: lead.id, description: lead.description }] },
  }));
  w.edit(WAYNE_LEAD_ID, 'Description', 'hello');
  expect(w.push()).toMatchObject({ updated: 1, failed: 0, conflicts: 0 });
  expect(w.leadCalls()).toEqual([put({ description: 'hello' })]);
  expect(w.cell(WAYNE_LEAD_ID, 'Sync status')).toBe(`updated · ${STAMP}`);
});

test('a refused search (a 400): each lead is read with a GET, as before the batched read', () => {
  const w = searchAnswered(() => ({ ok: false, status: 400, message: 'Invalid query.', fieldErrors: {} }));
  w.edit(WAYNE_LEAD_ID, 'Description', 'hello');
  w.edit(WAYNE_LEAD_ID, 'Name', 'Wayne Corp');
  expect(w.push()).toMatchObject({ updated: 1, failed: 0, conflicts: 0 });
  expect(w.leadCalls()).toEqual([get('name,description'), put({ name: 'Wayne Corp', description: 'hello' })]);
});

test('the search asks for exactly the edited leads and their edited fields, each field once', () => {
  const w = coreWorld();
  w.pull();
  w.clearSent();
  const [a, b] = [...w.close.leads.keys()].filter((id) => id !== WAYNE_LEAD_ID).sort();
  w.edit(a, 'Description', 'A described');
  w.edit(b, 'Name', 'B renamed');
  w.edit(b, 'Description', 'B described');
  w.push();
  expect(w.leadCalls()[0]).toEqual(searchCall([a, b], ['description', 'name']));
});
