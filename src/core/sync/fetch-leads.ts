// Paging through GET /lead/. Pages are requested in growing fetchAll waves (1, 2, 4 … pages) so a small
// org costs one request and a large one is fetched in parallel within the rate budget.
import type { CloseClient } from '../close/client';
import { CloseApiError } from '../close/errors';
import type { Lead } from '../close/types';

export const LEAD_PAGE_SIZE = 200;
const MAX_WAVE_PAGES = 16;
/** URLs stay well under UrlFetch's 2 KB limit: past this, ask for `custom` (all custom fields). */
const MAX_FIELDS_PARAM = 1500;

export function fieldsParam(fields: string[]): string {
  const listed = fields.join(',');
  if (listed.length <= MAX_FIELDS_PARAM) return listed;
  return [...fields.filter((f) => !f.startsWith('custom.')), 'custom'].join(',');
}

export type FetchProgress = (fetched: number, pages: number) => void;

export function fetchAllLeads(client: CloseClient, fields: string[], onProgress?: FetchProgress): Lead[] {
  const _fields = fieldsParam(fields);
  const leads: Lead[] = [];
  const seen = new Set<string>();
  let skip = 0;
  let wavePages = 1;
  let pages = 0;
  for (;;) {
    const calls = Array.from({ length: wavePages }, (_, k) => ({
      method: 'get' as const,
      path: '/lead/',
      query: { _limit: LEAD_PAGE_SIZE, _skip: skip + k * LEAD_PAGE_SIZE, _fields },
    }));
    const replies = client.callAll(calls);
    let more = true;
    for (const reply of replies) {
      if (!reply.ok)
        throw new CloseApiError(reply.status, `Could not fetch leads from Close: ${reply.message}`);
      const page = reply.data as { data: Lead[]; has_more: boolean };
      pages++;
      // Leads created while we page shift later pages; the same lead can then appear twice.
      for (const lead of page.data) {
        if (!seen.has(lead.id)) {
          seen.add(lead.id);
          leads.push(lead);
        }
      }
      if (!page.has_more) {
        more = false;
        break;
      }
    }
    onProgress?.(leads.length, pages);
    if (!more) return leads;
    skip += wavePages * LEAD_PAGE_SIZE;
    wavePages = Math.min(wavePages * 2, MAX_WAVE_PAGES);
  }
}
