// The organization's lead Smart Views, asked once per connection and shared by the Pull form and the
// Activities section (one listSmartViews call serves both; Refresh in the Pull form asks again).
import { call, type SmartView } from './server-calls';

let asked: Promise<SmartView[]> | null = null;
const listeners: Array<(views: SmartView[]) => void> = [];

/** The lead Smart Views (Close also lists contact views: they select no leads). */
export function smartViews(force = false): Promise<SmartView[]> {
  if (asked && !force) return asked;
  const asking = call('listSmartViews').then((list) => list.filter((v) => !v.type || v.type === 'lead'));
  asked = asking;
  asking.then(
    (views) => {
      if (asked === asking) for (const listener of listeners) listener(views);
    },
    () => {
      // A failed list is asked again next time.
      if (asked === asking) asked = null;
    },
  );
  return asking;
}

/** Called with every new list (e.g. another section refreshed it). */
export function onSmartViews(listener: (views: SmartView[]) => void): void {
  listeners.push(listener);
}

/** Another key may be another organization: its views are asked again. */
export function forgetSmartViews(): void {
  asked = null;
}
