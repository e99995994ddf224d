// Close's error bodies, turned into sentences a rep can act on.

/** The key was rejected (401): nothing more can be done until the rep reconnects. */
export class CloseAuthError extends Error {
  constructor(message = 'Close rejected the API key (401). Reconnect in the sidebar with a valid API key.') {
    super(message);
    this.name = 'CloseAuthError';
  }
}

/** Close answered, but not with success, after any retries. */
export class CloseApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fieldErrors: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'CloseApiError';
  }
}

type Json = unknown;

function isRecord(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Flattens `field-errors` (which nest: `contacts.errors["0"].field-errors.phones...`) into
 * `path → message`, e.g. `{"custom.cf_x": "Invalid choice"}`.
 */
export function flattenFieldErrors(fieldErrors: Json, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(fieldErrors)) return out;
  for (const [key, value] of Object.entries(fieldErrors)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out[path] = value;
    else if (Array.isArray(value)) out[path] = value.map(String).join(' ');
    else if (isRecord(value)) {
      const nested = value['field-errors'] ?? value.errors;
      if (isRecord(nested)) {
        for (const [index, inner] of Object.entries(nested)) {
          const innerPath = `${path}.${index}`;
          if (isRecord(inner) && inner['field-errors'])
            Object.assign(out, flattenFieldErrors(inner['field-errors'], innerPath));
          else Object.assign(out, flattenFieldErrors({ [index]: inner }, path));
        }
      } else Object.assign(out, flattenFieldErrors(value, path));
    }
  }
  return out;
}

/** A readable message and the per-field errors of a non-2xx Close response. */
export function describeCloseError(
  status: number,
  body: string,
): { message: string; fieldErrors: Record<string, string> } {
  let parsed: Json;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = null;
  }
  const fieldErrors = isRecord(parsed) ? flattenFieldErrors(parsed['field-errors']) : {};
  const parts: string[] = [];
  if (isRecord(parsed)) {
    if (typeof parsed.error === 'string') parts.push(parsed.error);
    else if (isRecord(parsed.error) && typeof parsed.error.message === 'string')
      parts.push(parsed.error.message);
    if (Array.isArray(parsed.errors)) parts.push(...parsed.errors.map(String));
  }
  for (const [field, message] of Object.entries(fieldErrors)) parts.push(`${field}: ${message}`);
  if (parts.length === 0) parts.push(statusText(status));
  return { message: parts.join('; '), fieldErrors };
}

function statusText(status: number): string {
  if (status === 0) return 'Could not reach Close';
  if (status === 402) return 'Close refused the request: your plan does not allow it (402)';
  if (status === 403) return 'Close refused the request: your user lacks permission (403)';
  if (status === 404) return 'Not found in Close (404)';
  if (status === 429) return 'Close rate limit exceeded (429)';
  if (status >= 500) return `Close had a server error (${status}); try again later`;
  return `Close answered ${status}`;
}
