// Names ↔ ids for statuses and users, built once per run so every cell is a map lookup.
import type { LeadStatus, Member } from '../close/types';

export interface NameLookup {
  /** What the sheet shows for an id (the id itself when unknown). */
  label(id: string): string;
  /** The id for what the rep typed (label, email or id; case-insensitive), or null. */
  resolve(text: string): string | null;
  /** The labels, for messages and dropdowns. */
  labels(): string[];
  /** How many entries answer to this text when it resolves to none of them (a shared name), else 0. */
  sharedBy(text: string): number;
}

function buildLookup(entries: Array<{ id: string; label: string; aliases: string[] }>): NameLookup {
  const byId = new Map<string, string>();
  const byText = new Map<string, string>();
  for (const e of entries) {
    byId.set(e.id, e.label);
    byText.set(e.id.toLowerCase(), e.id);
  }
  // Labels win over aliases; an alias shared by two entries resolves to neither (and says so).
  const holders = new Map<string, Set<string>>();
  for (const e of entries) {
    for (const alias of e.aliases) {
      const k = alias.trim().toLowerCase();
      if (!k) continue;
      const ids = holders.get(k) ?? new Set<string>();
      ids.add(e.id);
      holders.set(k, ids);
      if (!byText.has(k)) byText.set(k, e.id);
    }
  }
  const ambiguous = new Map<string, number>();
  for (const [k, ids] of holders)
    if (ids.size > 1) {
      ambiguous.set(k, ids.size);
      byText.delete(k);
    }
  for (const e of entries) {
    const k = e.label.trim().toLowerCase();
    byText.set(k, e.id);
    ambiguous.delete(k);
  }
  return {
    label: (id) => byId.get(id) ?? id,
    resolve: (text) => byText.get(text.trim().toLowerCase()) ?? null,
    labels: () => entries.map((e) => e.label),
    sharedBy: (text) => ambiguous.get(text.trim().toLowerCase()) ?? 0,
  };
}

export function statusLookup(statuses: LeadStatus[]): NameLookup {
  return buildLookup(statuses.map((s) => ({ id: s.id, label: s.label, aliases: [] })));
}

/**
 * Users show as their full name; when two members share a name, both show as `Name (email)` so every
 * label maps back to exactly one user.
 */
export function userLookup(members: Member[]): NameLookup {
  const seen = new Set<string>();
  const unique = members.filter((m) => !seen.has(m.user_id) && seen.add(m.user_id));
  const nameCount = new Map<string, number>();
  for (const m of unique) {
    const name = (m.user_full_name ?? '').trim().toLowerCase();
    if (name) nameCount.set(name, (nameCount.get(name) ?? 0) + 1);
  }
  return buildLookup(
    unique.map((m) => {
      const name = (m.user_full_name ?? '').trim();
      const email = m.user_email ?? '';
      const shared = (nameCount.get(name.toLowerCase()) ?? 0) > 1;
      const label = !name ? email || m.user_id : shared && email ? `${name} (${email})` : name;
      // A shared name is an alias of each of its users, so typing it is reported as ambiguous.
      return { id: m.user_id, label, aliases: [email, name] };
    }),
  );
}

/**
 * Opportunity statuses are per pipeline and their labels repeat ("Active" in every pipeline): a label
 * used in more than one pipeline shows as `Label (Pipeline)`.
 */
export function opportunityStatusLookup(
  statuses: Array<{ id: string; label: string; pipeline_id?: string }>,
  pipelines: Array<{ id: string; name: string }>,
): NameLookup {
  const pipelineName = new Map(pipelines.map((p) => [p.id, p.name]));
  const count = new Map<string, number>();
  for (const s of statuses) count.set(s.label.toLowerCase(), (count.get(s.label.toLowerCase()) ?? 0) + 1);
  return buildLookup(
    statuses.map((s) => {
      const shared = (count.get(s.label.toLowerCase()) ?? 0) > 1;
      const pipeline = s.pipeline_id ? pipelineName.get(s.pipeline_id) : undefined;
      return {
        id: s.id,
        label: shared && pipeline ? `${s.label} (${pipeline})` : s.label,
        aliases: [shared ? '' : s.label],
      };
    }),
  );
}
