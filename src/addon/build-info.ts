// What the build knew (scripts/build.mjs defines both): the add-on's version from package.json and the
// OAuth scopes its manifest asks for. Outside a build (type checks, unit tests) they read as unknown.
declare const __ADDON_VERSION__: string | undefined;
declare const __MANIFEST_SCOPES__: string[] | undefined;

export const ADDON_VERSION: string =
  typeof __ADDON_VERSION__ === 'string' ? __ADDON_VERSION__ : 'development';
export const MANIFEST_SCOPES: string[] = typeof __MANIFEST_SCOPES__ === 'object' ? __MANIFEST_SCOPES__ : [];
