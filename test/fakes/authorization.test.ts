// ScriptApp.getAuthorizationInfo in the fakes, as Google's reference (reference/script/authorization-info)
// describes it: REQUIRED while a scope the manifest asks for is not granted, an authorization URL only
// then, and getAuthorizedScopes filtered to the scopes asked about.
import { createGasRuntime, type GasRuntimeOptions } from '../../dev/gas-fakes';

const A = 'https://www.googleapis.com/auth/spreadsheets.currentonly';
const B = 'https://www.googleapis.com/auth/script.scriptapp';
const OTHER = 'https://www.googleapis.com/auth/documents';

function scriptApp(opts: Partial<GasRuntimeOptions> = {}) {
  const rt = createGasRuntime({
    http: () => ({ status: 200, headers: {}, body: '' }),
    quiet: true,
    manifest: { oauthScopes: [A, B] },
    ...opts,
  });
  // biome-ignore lint/suspicious/noExplicitAny: the fake service, untyped as the bundle sees it
  return rt.globals.ScriptApp as any;
}

test('every manifest scope granted (the default): NOT_REQUIRED, no URL, the scopes asked about that are granted', () => {
  const app = scriptApp();
  const info = app.getAuthorizationInfo(app.AuthMode.FULL, [A, OTHER]);
  expect(info.getAuthorizationStatus()).toBe(app.AuthorizationStatus.NOT_REQUIRED);
  expect(info.getAuthorizationUrl()).toBeNull();
  expect(info.getAuthorizedScopes()).toEqual([A]);
  expect(app.getAuthorizationInfo(app.AuthMode.FULL).getAuthorizedScopes()).toEqual([A, B]);
});

test('a manifest scope not granted: REQUIRED, with a URL to grant it', () => {
  const app = scriptApp({ grantedScopes: [A] });
  const info = app.getAuthorizationInfo(app.AuthMode.FULL, [A, B]);
  expect(String(info.getAuthorizationStatus())).toBe('REQUIRED');
  expect(info.getAuthorizationUrl()).toBe('https://script.google.com/macros/d/fake-script-id/authorize');
  expect(info.getAuthorizedScopes()).toEqual([A]);
});
