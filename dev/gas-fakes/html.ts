// HtmlService: HtmlOutput objects, files read from the built dist/ folder, minimal templates.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Env } from './env';
import { SandboxMode, XFrameOptionsMode } from './enums';

export interface HtmlOutputData {
  title: string;
  content: string;
  width?: number;
  height?: number;
}

const outputs = new WeakMap<object, HtmlOutputData>();

export function htmlOutputData(v: unknown): HtmlOutputData | null {
  return typeof v === 'object' && v !== null ? (outputs.get(v) ?? null) : null;
}

const escapeHtml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

export class HtmlOutputApi {
  private readonly data: HtmlOutputData;

  constructor(content: string) {
    this.data = { title: '', content };
    outputs.set(this, this.data);
  }
  getContent(): string {
    return this.data.content;
  }
  setContent(content: string): HtmlOutputApi {
    this.data.content = String(content);
    return this;
  }
  append(addedContent: string): HtmlOutputApi {
    this.data.content += String(addedContent);
    return this;
  }
  appendUntrusted(addedContent: string): HtmlOutputApi {
    this.data.content += escapeHtml(String(addedContent));
    return this;
  }
  clear(): HtmlOutputApi {
    this.data.content = '';
    return this;
  }
  getTitle(): string {
    return this.data.title;
  }
  setTitle(title: string): HtmlOutputApi {
    this.data.title = String(title);
    return this;
  }
  getWidth(): number | undefined {
    return this.data.width;
  }
  setWidth(width: number): HtmlOutputApi {
    this.data.width = width;
    return this;
  }
  getHeight(): number | undefined {
    return this.data.height;
  }
  setHeight(height: number): HtmlOutputApi {
    this.data.height = height;
    return this;
  }
  setSandboxMode(_mode: unknown): HtmlOutputApi {
    return this;
  }
  setXFrameOptionsMode(_mode: unknown): HtmlOutputApi {
    return this;
  }
  setFaviconUrl(_url: string): HtmlOutputApi {
    return this;
  }
  addMetaTag(_name: string, _content: string): HtmlOutputApi {
    return this;
  }
}

/** Templates: <?= expr ?> (escaped), <?!= expr ?> (raw) and <? code ?>; variables are the template's own properties. */
export class HtmlTemplateApi {
  [name: string]: unknown;

  constructor(private readonly source: string) {}

  getRawContent(): string {
    return this.source;
  }

  evaluate(): HtmlOutputApi {
    const parts = this.source.split(/(<\?!?=?[\s\S]*?\?>)/);
    let body = "let __out = '';\n";
    for (const part of parts) {
      if (part.startsWith('<?!=')) body += `__out += String(${part.slice(4, -2)});\n`;
      else if (part.startsWith('<?=')) body += `__out += __escape(String(${part.slice(3, -2)}));\n`;
      else if (part.startsWith('<?')) body += `${part.slice(2, -2)}\n`;
      else if (part) body += `__out += ${JSON.stringify(part)};\n`;
    }
    body += 'return __out;';
    const names = Object.keys(this).filter((k) => k !== 'source');
    const values = names.map((k) => this[k]);
    const fn = new Function('__escape', ...names, body) as (...args: unknown[]) => string;
    return new HtmlOutputApi(fn(escapeHtml, ...values));
  }
}

export function createHtmlService(env: Env, defaultDir: string) {
  const readFile = (name: string): string => {
    const dir = env.htmlDir ?? defaultDir;
    const candidates = [join(dir, `${name}.html`), join(dir, name)];
    const file = candidates.find((f) => f.endsWith('.html') && existsSync(f));
    if (!file) throw env.fail(`No HTML file named ${name} was found.`);
    return readFileSync(file, 'utf8');
  };
  return {
    createHtmlOutput(html?: string): HtmlOutputApi {
      env.checkBudget();
      return new HtmlOutputApi(html === undefined ? '' : String(html));
    },
    createHtmlOutputFromFile(filename: string): HtmlOutputApi {
      env.checkBudget();
      return new HtmlOutputApi(readFile(String(filename)));
    },
    createTemplate(html: string): HtmlTemplateApi {
      env.checkBudget();
      return new HtmlTemplateApi(String(html));
    },
    createTemplateFromFile(filename: string): HtmlTemplateApi {
      env.checkBudget();
      return new HtmlTemplateApi(readFile(String(filename)));
    },
    SandboxMode,
    XFrameOptionsMode,
  };
}
