// LockService. Locks live on the FakeSpreadsheet so runtimes (users) sharing a workbook exclude each
// other; a lock belongs to an execution and is released when that runtime starts its next execution.
import type { Env } from './env';
import type { FakeSpreadsheet, LockState } from './model';

export const LOCK_TIMEOUT_MESSAGE = 'Lock timeout: another process was holding the lock for too long.';

export class LockApi {
  private held = false;

  constructor(
    private readonly env: Env,
    private readonly state: LockState,
  ) {}

  /** Single-threaded fake: if another execution holds the lock, nobody releases it while we wait. */
  tryLock(timeoutInMillis: number): boolean {
    this.env.checkBudget();
    if (this.state.holder === null || this.state.holder === this.env.executionId) {
      this.state.holder = this.env.executionId;
      this.held = true;
      return true;
    }
    const wait = Math.max(0, Number(timeoutInMillis) || 0);
    if (wait > 0) this.env.clock.advance(wait);
    return false;
  }

  waitLock(timeoutInMillis: number): void {
    if (!this.tryLock(timeoutInMillis)) throw this.env.fail(LOCK_TIMEOUT_MESSAGE);
  }

  hasLock(): boolean {
    return this.held && this.state.holder === this.env.executionId;
  }

  releaseLock(): void {
    this.env.checkBudget();
    if (this.hasLock()) this.state.holder = null;
    this.held = false;
  }
}

function userLock(book: FakeSpreadsheet, email: string): LockState {
  let s = book.locks.user.get(email);
  if (!s) {
    s = { holder: null };
    book.locks.user.set(email, s);
  }
  return s;
}

export function createLockService(env: Env, book: FakeSpreadsheet) {
  env.onExecutionEnd((ended) => {
    for (const s of [book.locks.document, book.locks.script, ...book.locks.user.values()]) {
      if (s.holder === ended) s.holder = null;
    }
  });
  return {
    getDocumentLock(): LockApi {
      env.checkBudget();
      return new LockApi(env, book.locks.document);
    },
    getScriptLock(): LockApi {
      env.checkBudget();
      return new LockApi(env, book.locks.script);
    },
    getUserLock(): LockApi {
      env.checkBudget();
      return new LockApi(env, userLock(book, env.userEmail));
    },
  };
}
