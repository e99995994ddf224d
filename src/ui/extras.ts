// The sections below the push: scheduled refresh, undo last push, pipeline report. Each lives in its own
// module; sidebar.ts mounts them here and tells them about the connection and pushes.
import './extras.css';
import { mountReport } from './report';
import { mountSchedule } from './schedule';
import { mountUndo } from './undo';

export interface ExtrasHost {
  connected(): boolean;
  /** Something changed the sheet (an undo): refresh the Changes list. */
  sheetChanged(): void;
  /** The pulled sheets the server listed (getSchedule), for the sidebar's sheet pickers. */
  sheetsListed?(sheets: string[]): void;
}

export function mountExtras(parent: HTMLElement, host: ExtrasHost) {
  const schedule = mountSchedule(parent, { connected: host.connected, sheetsListed: host.sheetsListed });
  const undo = mountUndo(parent, { connected: host.connected, changed: host.sheetChanged });
  const report = mountReport(parent, host);
  return {
    setConnected(on: boolean): void {
      schedule.setConnected(on);
      undo.setConnected(on);
      report.setConnected(on);
    },
    pushed(): void {
      undo.pushed();
    },
    /** A pull finished (perhaps into a new sheet): the schedule's sheet list follows. */
    pulled(): void {
      if (host.connected()) void schedule.refresh();
    },
  };
}
