// The lead store: a Map by id (creation order) plus an array in Close's default list order (newest
// date_created first, ties by id descending), so a page is an O(limit) slice. Contact and opportunity
// indexes are built lazily.

import { dateMs } from './ids';
import type { Contact, Lead, Opportunity } from './types';

export class LeadStore {
  private order: Lead[] = [];
  private readonly createdMs = new Map<string, number>();
  private contactIndex: Map<string, { contact: Contact; lead: Lead }> | null = null;
  private oppIndex: Map<string, { opp: Opportunity; lead: Lead }> | null = null;

  constructor(readonly leads: Map<string, Lead>) {
    this.rebuild();
  }

  private key(lead: Lead): number {
    let ms = this.createdMs.get(lead.id);
    if (ms === undefined) {
      ms = dateMs(lead.date_created);
      if (Number.isNaN(ms)) ms = 0;
      this.createdMs.set(lead.id, ms);
    }
    return ms;
  }

  /** Negative when `a` comes first: newest first, then id descending. */
  private compare(a: Lead, b: Lead): number {
    const d = this.key(b) - this.key(a);
    if (d !== 0) return d;
    return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
  }

  private rebuild(): void {
    this.createdMs.clear();
    this.order = [...this.leads.values()];
    this.order.sort((a, b) => this.compare(a, b));
    this.invalidate();
  }

  invalidate(): void {
    this.contactIndex = null;
    this.oppIndex = null;
  }

  /** Leads in default order. Rebuilt if a test changed `leads` directly. */
  ordered(): Lead[] {
    if (this.order.length !== this.leads.size) this.rebuild();
    return this.order;
  }

  private position(lead: Lead): number {
    const order = this.ordered();
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.compare(order[mid], lead) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(lead: Lead): void {
    this.ordered();
    const pos = this.position(lead);
    this.leads.set(lead.id, lead);
    this.order.splice(pos, 0, lead);
    this.invalidate();
  }

  remove(id: string): boolean {
    const lead = this.leads.get(id);
    if (!lead) return false;
    let pos = this.position(lead);
    const order = this.ordered();
    if (order[pos] !== lead) pos = order.indexOf(lead);
    if (pos >= 0) order.splice(pos, 1);
    this.leads.delete(id);
    this.createdMs.delete(id);
    this.invalidate();
    return true;
  }

  contact(id: string): { contact: Contact; lead: Lead } | undefined {
    if (!this.contactIndex) {
      this.contactIndex = new Map();
      for (const lead of this.leads.values()) {
        for (const contact of lead.contacts) this.contactIndex.set(contact.id, { contact, lead });
      }
    }
    return this.contactIndex.get(id);
  }

  opportunity(id: string): { opp: Opportunity; lead: Lead } | undefined {
    if (!this.oppIndex) {
      this.oppIndex = new Map();
      for (const lead of this.leads.values()) {
        for (const opp of lead.opportunities) this.oppIndex.set(opp.id, { opp, lead });
      }
    }
    return this.oppIndex.get(id);
  }
}
