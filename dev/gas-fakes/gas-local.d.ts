// gas-local ships no types: it loads every .js file of a folder into one vm context and returns it.
declare module 'gas-local' {
  const gasLocal: {
    require(
      folderPath: string,
      globalObject?: object,
      options?: { filter?: (path: string) => boolean },
    ): Record<string, unknown>;
    globalMockDefault: Record<string, unknown>;
  };
  export default gasLocal;
}
