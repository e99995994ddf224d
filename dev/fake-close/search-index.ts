// What POST /data/search/ sees of the leads. Close answers searches from a search index, not from the lead
// itself (its docs say nothing of how soon a change reaches it; the probe's own note: "the index may lag a
// new lead by a few seconds", and `npm run probe` measures it: question `batched-read`). The harsher
// reading here: after a write through the API (PUT /lead/{id}/, the add-on's own included), searches keep
// showing the lead as it was before that write until `lagMs` after the last write to it — the whole lead,
// its date_updated too, so nothing in a search's answer tells that it is stale. GET /lead/{id}/ always
// answers the lead as it is.
//
// Not modelled (they do not make the fake harsher for what reads searches today): contact and opportunity
// writes (they touch their lead's date_updated), deletions and creations (a deleted lead leaves searches at
// once, a new one enters at once), and `touchLead` — the test control for a colleague's change made some
// time before the push, already indexed.
import type { Lead } from './types';

/** The default lag: "a few seconds". */
export const SEARCH_INDEX_LAG_MS = 5_000;

export class SearchIndex {
  private readonly stale = new Map<string, { doc: Lead; until: number }>();

  constructor(
    readonly lagMs: number,
    private readonly now: () => number,
  ) {}

  /** Before an API write to `lead`: searches go on showing it as it is now, until lagMs after this write. */
  beforeWrite(lead: Lead): void {
    if (this.lagMs <= 0) return;
    const now = this.now();
    const pending = this.stale.get(lead.id);
    if (pending && pending.until > now) pending.until = now + this.lagMs;
    else this.stale.set(lead.id, { doc: JSON.parse(JSON.stringify(lead)) as Lead, until: now + this.lagMs });
    if (this.stale.size > 20_000) this.sweep(now);
  }

  /** The lead as searches see it now. */
  view(lead: Lead): Lead {
    const pending = this.stale.get(lead.id);
    if (!pending) return lead;
    if (pending.until > this.now()) return pending.doc;
    this.stale.delete(lead.id);
    return lead;
  }

  private sweep(now: number): void {
    for (const [id, p] of this.stale) if (p.until <= now) this.stale.delete(id);
  }
}
