// The Close Sync sidebar: its sections, top to bottom — Connection, Pull, Changes (preview and push, and
// the last push's results), Scheduled refresh, Undo last push, Pipeline report, Activities, Help — each
// its own module under sections/ with its own state. What they share is small (sidebar-state.ts: the
// connection, the one action running, an unfinished job); this file mounts them and passes the few events
// one section has for another (a pull finished: the Changes list looks at its sheet).
import './sidebar.css';
import { byId } from './dom';
import { SheetRegistry } from './sheet-registry';
import { SidebarState } from './sidebar-state';
import { forgetSmartViews } from './smart-views';
import { mountActivities } from './sections/activities';
import { mountChanges } from './sections/changes';
import { mountConnection } from './sections/connection';
import { mountHelp } from './sections/help';
import { mountPull } from './sections/pull';
import { mountReport } from './sections/report';
import { mountSchedule } from './sections/schedule';
import { mountUndo } from './sections/undo';

const app = byId('app');
const state = new SidebarState();
const connected = () => state.connected();
// The Close sheets known here: the Pull form's sheet suggestions and the Changes section's sheet picker.
const sheets = new SheetRegistry();

const connection = mountConnection(app, state, {
  connected: () => pull.focus(),
  disconnected: () => {
    pull.clear();
    changes.clear();
  },
  showError: (message) => changes.showError(message),
});
const pull = mountPull(app, state, sheets, {
  pulled: (sheetName) => {
    changes.target(sheetName);
    if (connected()) void schedule.refresh();
  },
  ended: () => void changes.refresh(),
});
const changes = mountChanges(app, state, sheets, {
  pushed: () => undo.pushed(),
  focusPull: () => pull.focus(),
});
const schedule = mountSchedule(app, { connected, sheetsListed: (names) => sheets.addAll(names) });
const undo = mountUndo(app, state, { changed: () => void changes.refresh() });
const report = mountReport(app, { connected });
mountActivities(app, state);
// Help and diagnostics: a link at the top, the panel last.
mountHelp(app);

state.onConnection((on) => {
  if (!on) forgetSmartViews();
  schedule.setConnected(on);
  report.setConnected(on);
  if (on) void state.refreshJobStatus();
});

void connection.start();
