// Realistic name pools for generated data.

export const COMPANY_STEMS = [
  'Acme',
  'Globex',
  'Initech',
  'Umbrella',
  'Stark',
  'Wonka',
  'Hooli',
  'Vandelay',
  'Soylent',
  'Tyrell',
  'Cyberdyne',
  'Pied Piper',
  'Aperture',
  'Oscorp',
  'Monarch',
  'Dunder Mifflin',
  'Gekko',
  'Massive Dynamic',
  'Bluth',
  'Sterling Cooper',
  'Prestige Worldwide',
  'Nakatomi',
  'Wayfarer',
  'Blue Harbor',
  'Northwind',
  'Contoso',
  'Fabrikam',
  'Tailspin',
  'Litware',
  'Adventure Works',
  'Zürich Analytics',
  'Société Générale de Café',
  'Kowalski & Sons',
  "O'Reilly Freight",
  'Møller Shipping',
  'São Paulo Têxtil',
  'Redwood',
  'Silverline',
  'Brightpath',
  'Evergreen',
] as const;

export const COMPANY_SUFFIXES = [
  'Inc.',
  'LLC',
  'Labs',
  'Industries',
  'Group',
  'Holdings',
  'GmbH',
  'Ltd',
  'Systems',
  'Logistics',
  'Foods',
  'Partners',
  'Co.',
  'Technologies',
] as const;

export const FIRST_NAMES = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Elijah',
  'Sophia',
  'James',
  'Isabella',
  'Lucas',
  'Mia',
  'Mateo',
  'Zoë',
  'José',
  'Łukasz',
  'Aoife',
  'Chloé',
  'Hiroshi',
  'Fatima',
  'Wei',
  'Siobhan',
  'Dmitri',
  'Ngozi',
  'Ravi',
] as const;

export const LAST_NAMES = [
  'Smith',
  'Johnson',
  'Williams',
  'Brown',
  'Jones',
  'García',
  'Miller',
  'Davis',
  'Rodríguez',
  'Martínez',
  "O'Brien",
  'Nguyen',
  'Müller',
  'Kowalski',
  'Tanaka',
  'Okafor',
  'Chen',
  'Van der Berg',
  'Schmidt',
  'Rossi',
] as const;

export const TITLES = [
  'CEO',
  'CTO',
  'VP of Sales',
  'Head of Operations',
  'Procurement Manager',
  'Office Manager',
  'Founder',
  'Marketing Director',
  'Engineer',
  '',
] as const;

export const CITIES: ReadonlyArray<[string, string, string]> = [
  ['San Francisco', 'CA', 'US'],
  ['Austin', 'TX', 'US'],
  ['New York', 'NY', 'US'],
  ['London', '', 'GB'],
  ['Berlin', '', 'DE'],
  ['Toronto', 'ON', 'CA'],
  ['São Paulo', 'SP', 'BR'],
];

export const SOURCES = [
  'Website contact form',
  'Referral',
  'Trade show',
  'Cold call',
  'Partner',
  'LinkedIn',
] as const;

export const NOTE_SNIPPETS = [
  'Bruce needs new software for the Bat Cave.',
  'Follow up after the Q3 budget review.',
  'Wants a pilot for two teams first.',
  'Renewal depends on the SSO feature.',
  '',
] as const;

/** Lower-case ASCII slug for emails and domains: "Zürich Analytics" → "zurichanalytics". */
export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/ø/g, 'o')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
}
