// The spreadsheet's Close sheets as far as the sidebar knows them: the three default sheets, the pulled
// sheets getSchedule lists (every sheet with a snapshot), the sheets pulled in this session, and the
// kinds of object they hold when known (from a pull or a saved definition). The Pull section's sheet
// suggestions and the Changes section's sheet picker both read it.
import type { ObjectKind } from './server-calls';

export const KINDS: Record<ObjectKind, { label: string; sheet: string; noun: string; nouns: string }> = {
  lead: { label: 'Leads', sheet: 'Close Leads', noun: 'lead', nouns: 'leads' },
  contact: { label: 'Contacts', sheet: 'Close Contacts', noun: 'contact', nouns: 'contacts' },
  opportunity: {
    label: 'Opportunities',
    sheet: 'Close Opportunities',
    noun: 'opportunity',
    nouns: 'opportunities',
  },
};

export const KIND_ORDER: ObjectKind[] = ['lead', 'contact', 'opportunity'];

export function isKind(value: unknown): value is ObjectKind {
  return value === 'lead' || value === 'contact' || value === 'opportunity';
}

export class SheetRegistry {
  private readonly names: string[] = KIND_ORDER.map((k) => KINDS[k].sheet);
  private readonly kinds = new Map<string, ObjectKind>(KIND_ORDER.map((k) => [KINDS[k].sheet, k]));
  private readonly listeners: Array<() => void> = [];

  /** The default sheets first, then the others in the order they became known. */
  list(): string[] {
    return [...this.names];
  }

  /** What the sheet holds, when known; the default sheets hold their kind. */
  kindOf(name: string): ObjectKind | undefined {
    return this.kinds.get(name);
  }

  add(name: string, kind?: ObjectKind): void {
    const clean = name.trim();
    if (!clean) return;
    let changed = false;
    if (!this.names.includes(clean)) {
      this.names.push(clean);
      changed = true;
    }
    if (kind && this.kinds.get(clean) !== kind) {
      this.kinds.set(clean, kind);
      changed = true;
    }
    if (changed) this.notify();
  }

  addAll(names: string[]): void {
    const fresh = names.map((n) => n.trim()).filter((n) => n && !this.names.includes(n));
    if (fresh.length === 0) return;
    this.names.push(...fresh);
    this.notify();
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}
