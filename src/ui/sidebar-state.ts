// What the sidebar's sections share, and nothing more: who is connected, the one action running (a
// connect, a pull, a push, an undo, an activities pull — one at a time, as the server's sync lock allows), a cancel
// asked for, and a pull or push left unfinished. Each section keeps the rest of its state to itself and
// listens here to enable or disable its own controls.
import { messageOf } from './dom';
import { call, type Connection, type SyncStatus } from './server-calls';

export type JobKind = 'pull' | 'push';
export type Action = 'connect' | 'disconnect' | 'activities' | 'undo' | JobKind;

export class SidebarState {
  /** null until the first getConnection answer. */
  connection: Connection | null = null;
  action: Action | null = null;
  cancelRequested = false;
  /**
   * A job left unfinished (by an error, a closed sidebar or another rep): offered to continue or cancel
   * in the section of its kind (pull, push, undo).
   */
  pendingJob: SyncStatus['job'] = null;
  private readonly listeners: Array<() => void> = [];
  private readonly connectionListeners: Array<(on: boolean) => void> = [];

  connected(): boolean {
    return !!this.connection?.connected;
  }

  busy(): boolean {
    return this.action !== null;
  }

  /** Called after any change here (sections re-enable or disable their controls). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  /**
   * Called when the connection becomes known, and when the rep connects or disconnects (before the
   * onChange listeners); not when a recheck finds it as it was.
   */
  onConnection(listener: (on: boolean) => void): void {
    this.connectionListeners.push(listener);
  }

  changed(): void {
    for (const listener of this.listeners) listener();
  }

  setConnection(connection: Connection): void {
    const was = this.connection ? !!this.connection.connected : null;
    const on = !!connection.connected;
    this.connection = connection;
    if (!on) this.pendingJob = null;
    if (was !== on) for (const listener of this.connectionListeners) listener(on);
    this.changed();
  }

  /** Runs one action at a time: returns undefined without running when another is under way. */
  async run<T>(action: Action, work: () => Promise<T>): Promise<T | undefined> {
    if (this.action) return undefined;
    this.action = action;
    this.cancelRequested = false;
    this.changed();
    try {
      return await work();
    } finally {
      this.action = null;
      this.cancelRequested = false;
      this.changed();
    }
  }

  /** The rep asked to cancel the running pull or push: it stops between steps. */
  requestCancel(): void {
    this.cancelRequested = true;
    this.changed();
  }

  /** Asks the server whether a job is left unfinished (the pull and changes sections offer it). */
  async refreshJobStatus(): Promise<void> {
    if (!this.connected()) return;
    try {
      this.pendingJob = (await call('getSyncStatus')).job;
    } catch {
      this.pendingJob = null;
    }
    this.changed();
  }

  /** A server error that means the key is gone or rejected: ask again, so the connect form shows. */
  async recheck(error: unknown): Promise<void> {
    if (!/connect your close account|api key/i.test(messageOf(error))) return;
    try {
      this.setConnection(await call('getConnection'));
    } catch {
      // The error shown where it happened is enough.
    }
  }
}
