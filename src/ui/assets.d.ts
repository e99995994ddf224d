// esbuild bundles CSS imported from the sidebar's TypeScript into the inlined <style>.
declare module '*.css';
