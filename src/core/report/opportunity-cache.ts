// The report's opportunity data kept for the session, so rebuilding the report (another period, by week,
// by month, a scheduled rebuild right after a manual one) makes no Close call when the data is fresh.
//
// Why a cache and not the lead pull's data: the lead sheet holds only each lead's opportunity count and
// total, and the Close Opportunities sheet has neither the status type (won/lost) nor the lost date that the
// won/lost table needs; keeping a per-opportunity copy at every pull would add Sheets writes to every pull,
// report or not. So the pipelines and the opportunity listing read by one build serve the next builds for
// FRESH_MS ("fresh": read from Close less than 10 minutes ago, and no push of this rep's since).
//
// It lives in the rep's own cache (CacheService: their key decides the organization), in chunks under
// CacheService's 100 KB a value, opportunities as compact tuples with owners and statuses by index.
import type { Store } from '../ports';
import type { OpportunityData, ReportOpportunity } from './opportunities';

export const OPPORTUNITY_CACHE_KEY = 'closeSync.report.opportunities';
export const FRESH_MS = 10 * 60_000;
/** Characters per chunk: at most 3 UTF-8 bytes each (names in any script), under 100 KB. */
const CHUNK_CHARS = 30_000;
/** Past this many chunks (about 20,000 opportunities) the data is not kept. */
const MAX_CHUNKS = 40;

interface Packed {
  at: number;
  partial: boolean;
  pipelines: OpportunityData['pipelines'];
  /** Distinct strings: pipeline ids, status labels and types, owners. */
  words: string[];
  /** [pipeline id, pipeline, status, status type, owner] as word indexes, value cents, confidence, won, lost. */
  opps: Array<[number, number, number, number, number, number, number, string | null, string | null]>;
}

export function cacheOpportunities(cache: Store, data: OpportunityData, at: number): void {
  const words: string[] = [];
  const index = new Map<string, number>();
  const word = (w: string) => {
    let i = index.get(w);
    if (i === undefined) {
      i = words.length;
      words.push(w);
      index.set(w, i);
    }
    return i;
  };
  const opps = data.opportunities.map(
    (o) =>
      [
        word(o.pipelineId),
        word(o.pipeline),
        word(o.status),
        word(o.statusType),
        word(o.owner),
        Math.round(o.value * 100),
        o.confidence,
        o.dateWon,
        o.dateLost,
      ] as Packed['opps'][number],
  );
  const packed: Packed = { at, partial: data.partial, pipelines: data.pipelines, words, opps };
  const json = JSON.stringify(packed);
  const chunks = Math.ceil(json.length / CHUNK_CHARS);
  forgetOpportunities(cache);
  if (chunks > MAX_CHUNKS) return;
  try {
    for (let i = 0; i < chunks; i++)
      cache.set(`${OPPORTUNITY_CACHE_KEY}.${i}`, json.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS));
    // The head last: a half-written cache is never read.
    cache.set(OPPORTUNITY_CACHE_KEY, JSON.stringify({ at, chunks }));
  } catch {
    // A cache that refuses a value (size, quota) only means the next build reads Close again.
    forgetOpportunities(cache);
  }
}

/** The data a build within FRESH_MS read, or null (none, stale, or a chunk evicted). */
export function loadCachedOpportunities(cache: Store, now: number): OpportunityData | null {
  const head = cache.get(OPPORTUNITY_CACHE_KEY);
  if (!head) return null;
  try {
    const { at, chunks } = JSON.parse(head) as { at: number; chunks: number };
    if (!(now - at < FRESH_MS) || now < at) return null;
    let json = '';
    for (let i = 0; i < chunks; i++) {
      const part = cache.get(`${OPPORTUNITY_CACHE_KEY}.${i}`);
      if (part === null) return null;
      json += part;
    }
    const packed = JSON.parse(json) as Packed;
    const w = packed.words;
    const opportunities: ReportOpportunity[] = packed.opps.map(
      ([id, p, s, t, o, cents, confidence, won, lost]) => ({
        pipelineId: w[id],
        pipeline: w[p],
        status: w[s],
        statusType: w[t],
        value: cents / 100,
        confidence,
        owner: w[o],
        dateWon: won,
        dateLost: lost,
      }),
    );
    return { pipelines: packed.pipelines, opportunities, partial: packed.partial };
  } catch {
    return null;
  }
}

/** After a push (opportunity values or statuses may have changed), the next build reads Close again. */
export function forgetOpportunities(cache: Store): void {
  const head = cache.get(OPPORTUNITY_CACHE_KEY);
  let chunks = MAX_CHUNKS;
  try {
    if (head) chunks = (JSON.parse(head) as { chunks: number }).chunks;
  } catch {
    // Remove them all.
  }
  cache.delete(OPPORTUNITY_CACHE_KEY);
  if (head) for (let i = 0; i < chunks; i++) cache.delete(`${OPPORTUNITY_CACHE_KEY}.${i}`);
}
