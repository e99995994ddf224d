// Utilities service (sleep on the virtual clock, base64, digests, formatDate with Java patterns), Blob,
// Session and Logger.
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { format as utilFormat } from 'node:util';
import { dateMs, isDate } from './clock';
import { isValidTimeZone, MONTHS, WEEKDAYS, wallClock, zoneOffsetMs } from './dates';
import { enumKey, type Env } from './env';
import { Charset, DigestAlgorithm, MacAlgorithm } from './enums';

export const MAX_SLEEP_MS = 300_000;

/** Apps Script byte arrays are Java bytes: signed, -128..127. */
export function toSignedBytes(buf: Uint8Array): number[] {
  return Array.from(buf, (b) => (b > 127 ? b - 256 : b));
}

export function bytesToBuffer(bytes: unknown[]): Buffer {
  return Buffer.from(bytes.map((b) => Number(b) & 0xff));
}

function inputBuffer(env: Env, value: unknown, charset?: unknown): Buffer {
  if (Array.isArray(value)) return bytesToBuffer(value);
  if (value instanceof BlobApi) return Buffer.from(value.getBytes().map((b) => b & 0xff));
  if (typeof value !== 'string') throw env.fail(`Invalid argument: ${String(value)}`);
  const cs = charset === undefined ? 'UTF_8' : enumKey(charset, Charset);
  return Buffer.from(value, cs === 'US_ASCII' ? 'latin1' : 'utf8');
}

export class BlobApi {
  private bytes: Buffer;
  constructor(
    data: Buffer,
    private contentType: string | null = null,
    private name: string | null = null,
  ) {
    this.bytes = Buffer.from(data);
  }
  getBytes(): number[] {
    return toSignedBytes(this.bytes);
  }
  setBytes(data: number[]): BlobApi {
    this.bytes = bytesToBuffer(data);
    return this;
  }
  getDataAsString(charset?: string): string {
    return this.bytes.toString(charset && /ascii|iso-8859-1|latin/i.test(charset) ? 'latin1' : 'utf8');
  }
  setDataFromString(s: string): BlobApi {
    this.bytes = Buffer.from(String(s), 'utf8');
    return this;
  }
  getContentType(): string | null {
    return this.contentType;
  }
  setContentType(contentType: string): BlobApi {
    this.contentType = contentType;
    return this;
  }
  getName(): string | null {
    return this.name;
  }
  setName(name: string): BlobApi {
    this.name = name;
    return this;
  }
  copyBlob(): BlobApi {
    return new BlobApi(this.bytes, this.contentType, this.name);
  }
  isGoogleType(): boolean {
    return false;
  }
  getAs(contentType: string): BlobApi {
    return new BlobApi(this.bytes, contentType, this.name);
  }
  getBlob(): BlobApi {
    return this;
  }
}

// ---- Java SimpleDateFormat subset ------------------------------------------------------------------

function offsetText(offsetMs: number, style: 'Z' | 'X' | 'XX' | 'XXX'): string {
  if (offsetMs === 0 && style.startsWith('X')) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(Math.round(offsetMs / 60000));
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  if (style === 'X') return `${sign}${hh}`;
  if (style === 'XXX') return `${sign}${hh}:${mm}`;
  return `${sign}${hh}${mm}`;
}

function shortZoneName(ms: number, timeZone: string): string {
  const part = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'short' })
    .formatToParts(new Date(ms))
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? timeZone;
}

/** Utilities.formatDate: an unknown time zone silently formats in GMT, like Java's TimeZone. */
export function formatJavaDate(ms: number, timeZone: string, pattern: string): string {
  const tz = isValidTimeZone(timeZone) ? timeZone : 'UTC';
  const w = wallClock(ms, tz);
  let out = '';
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        out += "'";
        i += 2;
        continue;
      }
      const end = pattern.indexOf("'", i + 1);
      const stop = end < 0 ? pattern.length : end;
      out += pattern.slice(i + 1, stop);
      i = stop + 1;
      continue;
    }
    if (!/[A-Za-z]/.test(c)) {
      out += c;
      i++;
      continue;
    }
    let j = i;
    while (pattern[j] === c) j++;
    const n = j - i;
    i = j;
    const num = (v: number): string => String(v).padStart(n, '0');
    switch (c) {
      case 'y':
      case 'Y':
        out += n === 2 ? String(w.year % 100).padStart(2, '0') : num(w.year);
        break;
      case 'M':
      case 'L':
        out += n >= 4 ? MONTHS[w.month - 1] : n === 3 ? MONTHS[w.month - 1].slice(0, 3) : num(w.month);
        break;
      case 'd':
        out += num(w.day);
        break;
      case 'E':
        out += n >= 4 ? WEEKDAYS[w.weekday] : WEEKDAYS[w.weekday].slice(0, 3);
        break;
      case 'u':
        out += num(w.weekday === 0 ? 7 : w.weekday);
        break;
      case 'H':
        out += num(w.hour);
        break;
      case 'k':
        out += num(w.hour === 0 ? 24 : w.hour);
        break;
      case 'K':
        out += num(w.hour % 12);
        break;
      case 'h':
        out += num(w.hour % 12 || 12);
        break;
      case 'm':
        out += num(w.minute);
        break;
      case 's':
        out += num(w.second);
        break;
      case 'S':
        out += String(w.ms).padStart(3, '0').slice(0, Math.max(n, 3)).padEnd(n, '0');
        break;
      case 'a':
        out += w.hour < 12 ? 'AM' : 'PM';
        break;
      case 'z':
        out +=
          tz === 'UTC' || tz === 'Etc/UTC' || tz === 'GMT'
            ? tz === 'GMT'
              ? 'GMT'
              : 'UTC'
            : shortZoneName(ms, tz);
        break;
      case 'Z':
        out += offsetText(zoneOffsetMs(ms, tz), 'Z');
        break;
      case 'X':
        out += offsetText(zoneOffsetMs(ms, tz), n === 1 ? 'X' : n === 2 ? 'XX' : 'XXX');
        break;
      default:
        throw new Error(`Illegal pattern character '${c}'`);
    }
  }
  return out;
}

function parseCsv(csv: string, delimiter = ','): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < csv.length; i++) {
    const c = csv[i];
    if (quoted) {
      if (c === '"' && csv[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && csv[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

const DIGEST_NAMES: Record<string, string> = {
  MD2: 'md2',
  MD5: 'md5',
  SHA_1: 'sha1',
  SHA_256: 'sha256',
  SHA_384: 'sha384',
  SHA_512: 'sha512',
};
const MAC_NAMES: Record<string, string> = {
  HMAC_MD5: 'md5',
  HMAC_SHA_1: 'sha1',
  HMAC_SHA_256: 'sha256',
  HMAC_SHA_384: 'sha384',
  HMAC_SHA_512: 'sha512',
};

export function createUtilities(env: Env) {
  const decode = (encoded: unknown, webSafe: boolean): number[] => {
    env.checkBudget();
    const s = String(encoded).replace(/\s+/g, '');
    const re = webSafe ? /^[A-Za-z0-9_-]*={0,2}$/ : /^[A-Za-z0-9+/]*={0,2}$/;
    if (!re.test(s) || s.replace(/=+$/, '').length % 4 === 1) throw env.fail('Could not decode string.');
    return toSignedBytes(Buffer.from(s, webSafe ? 'base64url' : 'base64'));
  };
  return {
    sleep(milliseconds: number): void {
      env.checkBudget();
      const ms = Number(milliseconds);
      if (!(ms >= 0)) throw env.fail(`Invalid argument: ${milliseconds}`);
      if (ms > MAX_SLEEP_MS)
        throw env.fail(`Utilities.sleep: the maximum sleep time is ${MAX_SLEEP_MS} milliseconds.`);
      env.stats.sleeps++;
      env.stats.sleptMs += ms;
      env.clock.advance(ms);
    },
    base64Encode(data: unknown, charset?: unknown): string {
      env.checkBudget();
      return inputBuffer(env, data, charset).toString('base64');
    },
    base64EncodeWebSafe(data: unknown, charset?: unknown): string {
      env.checkBudget();
      const b64 = inputBuffer(env, data, charset).toString('base64');
      return b64.replace(/\+/g, '-').replace(/\//g, '_');
    },
    base64Decode(encoded: string): number[] {
      return decode(encoded, false);
    },
    base64DecodeWebSafe(encoded: string): number[] {
      return decode(encoded, true);
    },
    computeDigest(algorithm: unknown, value: unknown, charset?: unknown): number[] {
      env.checkBudget();
      const k = enumKey(algorithm, DigestAlgorithm);
      if (!k) throw env.fail("The parameters don't match the method signature for Utilities.computeDigest.");
      return toSignedBytes(
        createHash(DIGEST_NAMES[k])
          .update(inputBuffer(env, value, charset))
          .digest(),
      );
    },
    computeHmacSignature(algorithm: unknown, value: unknown, key: unknown, charset?: unknown): number[] {
      env.checkBudget();
      const k = enumKey(algorithm, MacAlgorithm);
      if (!k)
        throw env.fail("The parameters don't match the method signature for Utilities.computeHmacSignature.");
      return toSignedBytes(
        createHmac(MAC_NAMES[k], inputBuffer(env, key, charset))
          .update(inputBuffer(env, value, charset))
          .digest(),
      );
    },
    computeHmacSha256Signature(value: unknown, key: unknown, charset?: unknown): number[] {
      env.checkBudget();
      return toSignedBytes(
        createHmac('sha256', inputBuffer(env, key, charset))
          .update(inputBuffer(env, value, charset))
          .digest(),
      );
    },
    formatDate(date: unknown, timeZone: string, format: string): string {
      env.checkBudget();
      if (!isDate(date))
        throw env.fail("The parameters don't match the method signature for Utilities.formatDate.");
      try {
        return formatJavaDate(dateMs(date), String(timeZone), String(format));
      } catch (e) {
        throw env.fail(`Invalid argument: ${(e as Error).message}`);
      }
    },
    formatString(template: string, ...args: unknown[]): string {
      return utilFormat(template, ...args);
    },
    getUuid(): string {
      return randomUUID();
    },
    newBlob(data: unknown, contentType?: string, name?: string): BlobApi {
      env.checkBudget();
      const buf = data === undefined ? Buffer.alloc(0) : inputBuffer(env, data);
      return new BlobApi(buf, contentType ?? null, name ?? null);
    },
    parseCsv(csv: string, delimiter?: string): string[][] {
      return parseCsv(String(csv), delimiter ?? ',');
    },
    jsonParse(json: string): unknown {
      return JSON.parse(json);
    },
    jsonStringify(obj: unknown): string {
      return JSON.stringify(obj);
    },
    DigestAlgorithm,
    MacAlgorithm,
    Charset,
  };
}

export function createSession(env: Env) {
  const user = (email: () => string) => ({ getEmail: email, toString: () => email() });
  return {
    // Both need userinfo.email (see scopes.ts); in AuthMode.NONE they throw (Env.requireScopes).
    getActiveUser() {
      env.requireScopes('Session.getActiveUser');
      return user(() => env.userEmail);
    },
    getEffectiveUser() {
      env.requireScopes('Session.getEffectiveUser');
      return user(() => env.userEmail);
    },
    getScriptTimeZone(): string {
      return env.scriptTimeZone;
    },
    getActiveUserLocale(): string {
      return 'en';
    },
    getTemporaryActiveUserKey(): string {
      return createHash('sha256').update(`temp-key:${env.userEmail}`).digest('base64').slice(0, 43);
    },
  };
}

export function createLogger(env: Env, print: (line: string) => void) {
  const logger = {
    log(data: unknown, ...values: unknown[]) {
      let line: string;
      if (typeof data === 'string' && values.length) {
        let k = 0;
        line = data.replace(/%s|%d/g, (m) => (k < values.length ? String(values[k++]) : m));
      } else line = typeof data === 'object' && data !== null ? JSON.stringify(data) : String(data);
      env.log(line);
      print(line);
      return logger;
    },
    getLog(): string {
      return env.logs.join('\n');
    },
    clear(): void {
      env.logs.length = 0;
    },
  };
  return logger;
}
