// User fields: a Close user by name (or email, when names are shared), one (a dropdown) or several
// separated by "; ". The cell shows names; Close keeps user ids.
import type { CodecEnv } from '../codecs';
import { bad, cellText, isEmpty, joined, ok, separatorHint } from './cells';
import type { FieldKind, KindCodec } from './kind';

function userCodec(multi: boolean, env: CodecEnv): KindCodec {
  const label = (id: unknown) => env.users.label(String(id));
  return {
    encode: (v) => (Array.isArray(v) ? joined(v, label) : isEmpty(v) ? '' : label(v)),
    isLossy: () => false,
    decode: (cell) => {
      const t = cellText(cell, env.timeZone).trim();
      if (t === '') return ok(null);
      const names = multi
        ? t
            .split(';')
            .map((n) => n.trim())
            .filter(Boolean)
        : [t];
      const ids: string[] = [];
      for (const name of names) {
        const id = env.users.resolve(name);
        if (!id) {
          const shared = env.users.sharedBy(name);
          return bad(
            shared > 1
              ? `${shared} users are named ${JSON.stringify(name)}: use their email`
              : `${JSON.stringify(name)} is not a user of this Close organization${multi ? separatorHint(t, (n) => env.users.resolve(n) !== null) : ''}`,
          );
        }
        if (!ids.includes(id)) ids.push(id);
      }
      return ok(multi ? ids : ids[0]);
    },
  };
}

const userBase = { numberFormat: '@', display: 'as the cell shows it' } as const;

export const user: FieldKind = {
  closeTypes: [{ type: 'user', multiple: false }],
  codec: (_column, env) => userCodec(false, env),
  takes: 'a Close user (dropdown)',
  multiValue: null,
  addRemove: false,
  dropdown: 'users',
  report: 'owner',
  ...userBase,
};

export const users: FieldKind = {
  closeTypes: [{ type: 'user', multiple: true }],
  codec: (_column, env) => userCodec(true, env),
  takes: 'Close users, separated by "; "',
  multiValue: 'names',
  addRemove: true,
  dropdown: null,
  report: null,
  ...userBase,
};
