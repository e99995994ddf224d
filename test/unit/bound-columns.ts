// The columns of a unit test bound to their codecs, with the statuses and users they read, and the
// token a pull keeps for a value: written once for the tests of what the snapshot keeps
// (pulled-value.test.ts) and of how it stores it (snapshot-format.test.ts).
import { makeCodec } from '../../src/core/schema/codecs';
import type { Column } from '../../src/core/schema/columns';
import { statusLookup, userLookup } from '../../src/core/schema/lookups';
import type { BoundColumn } from '../../src/core/sync/changes';
import { pulledToken } from '../../src/core/sync/pulled-value';

/** A New York organization with one lead status and two users (Ann Lee, Bob Roy). */
export const lookupEnv = {
  timeZone: 'America/New_York',
  statuses: statusLookup([{ id: 'stat_potential', label: 'Potential' }]),
  opportunityStatuses: statusLookup([]),
  users: userLookup([
    { user_id: 'user_ann', user_full_name: 'Ann Lee', user_email: 'ann@x.test' },
    { user_id: 'user_bob', user_full_name: 'Bob Roy', user_email: 'bob@x.test' },
  ]),
};

/** `bound(key)`: the column of that key with its codec; `token(key, value)`: what a pull keeps of it. */
export function bindColumns(columns: Column[]) {
  const bound = (key: string): BoundColumn => {
    const column = columns.find((c) => c.key === key)!;
    return { column, codec: makeCodec(column, lookupEnv) };
  };
  const token = (key: string, value: unknown) => {
    const b = bound(key);
    return pulledToken(b, value, b.codec.encode(value));
  };
  return { bound, token };
}
