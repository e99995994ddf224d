import { connectedWorld } from './harness';

test('smoke: pull', () => {
  const w = connectedWorld();
  const summary = w.app.pullLeads({});
  console.log(summary);
  const dump = w.runtime.spreadsheet.dump('Close Leads');
  console.log(dump.slice(0, 3));
  console.log(w.runtime.stats);
  const preview = w.app.previewChanges({});
  console.log(preview.counts);
});
