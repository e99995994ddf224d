// Progress of a long pull or push, for the sidebar to poll while the run is under way. Each
// google.script.run call is its own execution, so the running one leaves notes in the document cache
// (per user) and getSyncProgress reads them.
import type { SyncProgress } from '../shared/server-api';

function cacheKey(): string {
  return `closeSync.progress.${Session.getTemporaryActiveUserKey()}`;
}

export function reportProgress(action: string, message: string, done = false): void {
  const cache = CacheService.getDocumentCache();
  if (!cache) return;
  const progress: SyncProgress = { action, message, done, at: Date.now() };
  cache.put(cacheKey(), JSON.stringify(progress), 600);
}

export function readProgress(): SyncProgress | null {
  const saved = CacheService.getDocumentCache()?.get(cacheKey());
  return saved ? (JSON.parse(saved) as SyncProgress) : null;
}
