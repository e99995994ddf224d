// Close's documented limits on the push side: rate limits per key and per organization, single-value
// `.add`/`.remove`, custom-field subsets announced for leads only, URLs under 2,000 characters, and
// opportunity fields that take no null.
import { buildBulkOrg } from '../../dev/fake-close';
import { connectedWorld, runToEnd } from './harness';

describe('rate limits per key and per organization', () => {
  test('a push of 2,000 edits while colleagues spend most of the org budget keeps 429s under 5%', () => {
    const w = connectedWorld({
      org: buildBulkOrg({ leads: 2_000, customFields: 4 }),
      gas: { fetchLatencyMs: 250 },
    });
    runToEnd(w, w.app.pullLeads({}));
    // Other keys of the organization use 400 of its 480 PUTs and GETs per 8-second window: the rep's
    // key (160 of its own) meets the organization's limit first, and Close's 429 announces limit=480.
    w.close.setOrgLoad('PUT /lead/{id}/', 460);
    w.close.setOrgLoad('GET /lead/{id}/', 460);
    const book = w.runtime.spreadsheet;
    const header = book.read('Close Leads', '1:1')[0];
    const col = header.indexOf('Description') + 1;
    for (let r = 2; r < 2 + 2_000; r++) book.userEdit('Close Leads', [r, col], `Edited on row ${r}`);
    w.close.log.length = 0;
    const { outcome } = runToEnd(w, w.app.pushChanges({}));
    expect(outcome).toMatchObject({ done: true, updated: 2_000, failed: 0 });
    const requests = w.close.log.length;
    const throttled = w.close.log.filter((e) => e.status === 429).length;
    const puts = w.close.log.filter((e) => e.method === 'PUT' && e.status === 200);
    expect(new Set(puts.map((p) => p.path)).size).toBe(2_000);
    expect(puts).toHaveLength(2_000);
    // The first window after the org's limit is met costs one burst per group; later windows fit.
    expect(throttled / requests).toBeLessThan(0.05);
  });
});
