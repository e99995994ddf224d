// SpreadsheetApp.getUi(): menus, alerts, prompts, sidebars and dialogs, recorded in a FakeUi that tests
// read and script (ui.answers).
import { enumKey, type Env, type GasEnumValue } from './env';
import { Button, ButtonSet } from './enums';
import { htmlOutputData } from './html';

export interface MenuRecord {
  title: string;
  addon: boolean;
  /** [caption, functionName]; a separator is ['---', '']. */
  items: Array<[string, string]>;
  subMenus: MenuRecord[];
}

export interface DialogRecord {
  kind: 'alert' | 'prompt';
  title: string;
  message: string;
  buttons: string;
  /** The button the scripted user pressed, and for prompts the text typed. */
  answer: string;
  text?: string;
}

export interface HtmlPanelRecord {
  kind: 'sidebar' | 'modal' | 'modeless';
  title: string;
  html: string;
  width?: number;
  height?: number;
}

export interface ToastRecord {
  message: string;
  title: string;
  timeoutSeconds: number;
}

/** A scripted answer: a button name ('OK', 'CANCEL', 'YES', 'NO', 'CLOSE') or a prompt's button and text. */
export type UiAnswer = string | { button: string; text?: string };

export class FakeUi {
  menus: MenuRecord[] = [];
  alerts: DialogRecord[] = [];
  sidebars: HtmlPanelRecord[] = [];
  dialogs: HtmlPanelRecord[] = [];
  toasts: ToastRecord[] = [];
  /** Answers for the next alert()/prompt() calls, consumed in order (default OK / YES, empty text). */
  answers: UiAnswer[] = [];

  constructor(readonly addonTitle = 'Close Sync for Sheets') {}

  menu(title: string): MenuRecord | undefined {
    return this.menus.find((m) => m.title === title);
  }

  /** The function a menu caption calls (searching sub-menus too). */
  functionFor(caption: string): string | undefined {
    const search = (m: MenuRecord): string | undefined =>
      m.items.find(([c]) => c === caption)?.[1] ?? m.subMenus.map(search).find((f) => f !== undefined);
    return this.menus.map(search).find((f) => f !== undefined);
  }

  get lastSidebar(): HtmlPanelRecord | undefined {
    return this.sidebars[this.sidebars.length - 1];
  }
}

class MenuApi {
  readonly record: MenuRecord;

  constructor(
    private readonly env: Env,
    private readonly ui: FakeUi,
    title: string,
    addon: boolean,
  ) {
    this.record = { title, addon, items: [], subMenus: [] };
  }

  addItem(caption: string, functionName: string): MenuApi {
    this.env.checkBudget();
    if (typeof caption !== 'string' || typeof functionName !== 'string') {
      throw this.env.fail("The parameters don't match the method signature for Ui.Menu.addItem.");
    }
    this.record.items.push([caption, functionName]);
    return this;
  }

  addSeparator(): MenuApi {
    this.record.items.push(['---', '']);
    return this;
  }

  addSubMenu(menu: MenuApi): MenuApi {
    if (!(menu instanceof MenuApi))
      throw this.env.fail("The parameters don't match the method signature for Ui.Menu.addSubMenu.");
    this.record.subMenus.push(menu.snapshot());
    return this;
  }

  snapshot(): MenuRecord {
    return {
      ...this.record,
      items: this.record.items.map(([c, f]) => [c, f] as [string, string]),
      subMenus: this.record.subMenus.slice(),
    };
  }

  /** Adds the menu; adding a menu with the same title again replaces it (like re-running onOpen). */
  addToUi(): void {
    this.env.checkBudget();
    const snap = this.snapshot();
    const i = this.ui.menus.findIndex((m) => m.title === snap.title);
    if (i >= 0) this.ui.menus[i] = snap;
    else this.ui.menus.push(snap);
  }
}

const DEFAULT_ANSWER: Record<string, string> = {
  OK: 'OK',
  OK_CANCEL: 'OK',
  YES_NO: 'YES',
  YES_NO_CANCEL: 'YES',
};
const ALLOWED: Record<string, string[]> = {
  OK: ['OK', 'CLOSE'],
  OK_CANCEL: ['OK', 'CANCEL', 'CLOSE'],
  YES_NO: ['YES', 'NO', 'CLOSE'],
  YES_NO_CANCEL: ['YES', 'NO', 'CANCEL', 'CLOSE'],
};

export class UiApi {
  readonly ButtonSet = ButtonSet;
  readonly Button = Button;

  constructor(
    private readonly env: Env,
    private readonly ui: FakeUi,
  ) {}

  createMenu(caption: string): MenuApi {
    this.env.checkBudget();
    return new MenuApi(this.env, this.ui, String(caption), false);
  }

  createAddonMenu(): MenuApi {
    this.env.checkBudget();
    return new MenuApi(this.env, this.ui, this.ui.addonTitle, true);
  }

  private nextAnswer(buttons: string, kind: 'alert' | 'prompt'): { button: string; text: string } {
    const raw = this.ui.answers.shift();
    const ans =
      raw === undefined
        ? { button: DEFAULT_ANSWER[buttons] }
        : typeof raw === 'string'
          ? { button: raw }
          : raw;
    const button = ans.button.toUpperCase();
    if (!ALLOWED[buttons].includes(button)) {
      throw new Error(`FakeUi: scripted answer ${button} is not a button of ${buttons} (${kind})`);
    }
    return { button, text: typeof raw === 'object' && raw.text !== undefined ? raw.text : '' };
  }

  /** alert(prompt) | alert(prompt, buttons) | alert(title, prompt, buttons) */
  alert(a: unknown, b?: unknown, c?: unknown): GasEnumValue {
    this.env.checkBudget();
    let title = '';
    let message: string;
    let buttons: unknown = ButtonSet.OK;
    if (c !== undefined) [title, message, buttons] = [String(a), String(b), c];
    else if (b !== undefined) [message, buttons] = [String(a), b];
    else message = String(a);
    const set = enumKey(buttons, ButtonSet);
    if (!set) throw this.env.fail("The parameters don't match the method signature for Ui.alert.");
    const { button } = this.nextAnswer(set, 'alert');
    this.ui.alerts.push({ kind: 'alert', title, message, buttons: set, answer: button });
    return Button[button as keyof typeof Button];
  }

  /** prompt(prompt) | prompt(prompt, buttons) | prompt(title, prompt, buttons) */
  prompt(
    a: unknown,
    b?: unknown,
    c?: unknown,
  ): { getResponseText(): string; getSelectedButton(): GasEnumValue } {
    this.env.checkBudget();
    let title = '';
    let message: string;
    let buttons: unknown = ButtonSet.OK;
    if (c !== undefined) [title, message, buttons] = [String(a), String(b), c];
    else if (b !== undefined) [message, buttons] = [String(a), b];
    else message = String(a);
    const set = enumKey(buttons, ButtonSet);
    if (!set) throw this.env.fail("The parameters don't match the method signature for Ui.prompt.");
    const { button, text } = this.nextAnswer(set, 'prompt');
    this.ui.alerts.push({ kind: 'prompt', title, message, buttons: set, answer: button, text });
    const selected = Button[button as keyof typeof Button];
    return { getResponseText: () => text, getSelectedButton: () => selected };
  }

  private panel(kind: HtmlPanelRecord['kind'], output: unknown, title?: string): HtmlPanelRecord {
    const data = htmlOutputData(output);
    if (!data)
      throw this.env.fail(
        `The parameters don't match the method signature for Ui.show${kind === 'sidebar' ? 'Sidebar' : 'ModalDialog'}.`,
      );
    return { kind, title: title ?? data.title, html: data.content, width: data.width, height: data.height };
  }

  showSidebar(userInterface: unknown): void {
    this.env.checkBudget();
    this.env.requireScopes('Ui.showSidebar');
    this.ui.sidebars.push(this.panel('sidebar', userInterface));
  }

  showModalDialog(userInterface: unknown, title: string): void {
    this.env.checkBudget();
    this.env.requireScopes('Ui.showModalDialog');
    this.ui.dialogs.push(this.panel('modal', userInterface, String(title)));
  }

  showModelessDialog(userInterface: unknown, title: string): void {
    this.env.checkBudget();
    this.env.requireScopes('Ui.showModelessDialog');
    this.ui.dialogs.push(this.panel('modeless', userInterface, String(title)));
  }
}
