/*
 * Read-only XML nodes for configs (Genode's Xml_node), parsed with @xmldom/xmldom.
 * Every error names the line and column, so a bad config says where it is bad. Parsing is
 * strict: what xmldom would let pass with a warning (an unquoted attribute value, a
 * missing value or space) is an error, as it is for Genode's parser.
 */
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { GenodeError } from '../errors.js';
import { clip } from './clip.js';

export class XmlError extends GenodeError {}

interface Located { lineNumber?: number; columnNumber?: number }

function where(n: Located | undefined): string {
  return n?.lineNumber ? `line ${n.lineNumber}, column ${n.columnNumber ?? 0}` : 'unknown position';
}

/** xmldom's message, first line only, in plain words where xmldom's own are obscure. */
function parserMessage(raw: string): string {
  const msg = raw.replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0]!.replace(/@#\[.*$/, '').trim();
  let m = /^attribute "(.*)" missed quot\("\)!+$/s.exec(msg);
  if (m) return `unquoted attribute value "${clip(m[1]!)}"`;
  m = /^attribute "(.*)" missed value!! .*$/s.exec(msg);
  if (m) return `attribute "${clip(m[1]!)}" has no value`;
  m = /^attribute space is required"(.*)"!+$/s.exec(msg);
  if (m) return `no space before the attribute after "${clip(m[1]!)}"`;
  return clip(msg, 160);
}

export class XmlNode {
  private constructor(private readonly el: XmlElement, readonly source: string) {}

  /** Parses a document; `source` names it in errors ("config of init"). */
  static parse(text: string, source = 'XML'): XmlNode {
    if (text.trim() === '') throw new XmlError(`${source} is empty (expected an XML document)`);
    let problem: { msg: string; at: Located } | undefined;
    let doc;
    try {
      doc = new DOMParser({
        /* the handler's locator is at the element being parsed */
        onError: (_level: string, msg: string, handler?: { locator?: Located }) => {
          problem ??= { msg, at: { ...handler?.locator } };
        },
      }).parseFromString(text, 'text/xml');
    } catch (e) {
      const err = e as Error & { locator?: Located };
      throw new XmlError(`${source}: malformed XML at ${where(err.locator)}: ${parserMessage(err.message)}`);
    }
    if (problem) throw new XmlError(`${source}: malformed XML at ${where(problem.at)}: ${parserMessage(problem.msg)}`);
    const root = doc.documentElement;
    if (!root) throw new XmlError(`${source}: no root element`);
    return new XmlNode(root as unknown as XmlElement, source);
  }

  get type(): string {
    return this.el.tagName;
  }

  get line(): number {
    return (this.el as unknown as Located).lineNumber ?? 0;
  }

  get column(): number {
    return (this.el as unknown as Located).columnNumber ?? 0;
  }

  /** "config of init, line 3, column 2" */
  get position(): string {
    return `${this.source}, ${where(this.el as unknown as Located)}`;
  }

  /** An error at this node; values in `text` are the caller's to clip (see util/clip.ts). */
  error(text: string): XmlError {
    return new XmlError(`${this.position}: <${clip(this.type)}>: ${text}`);
  }

  hasAttr(name: string): boolean {
    return this.el.hasAttribute(name);
  }

  attr(name: string, fallback?: string): string {
    if (this.el.hasAttribute(name)) return this.el.getAttribute(name) ?? '';
    if (fallback !== undefined) return fallback;
    throw this.error(`missing attribute "${name}"`);
  }

  /**
   * A number attribute: digits with an optional K, M or G (Genode's sizes), at most `max`
   * (and never beyond what a double holds exactly).
   */
  numberAttr(name: string, fallback?: number, max = Number.MAX_SAFE_INTEGER): number {
    if (!this.el.hasAttribute(name)) {
      if (fallback !== undefined) return fallback;
      throw this.error(`missing attribute "${name}"`);
    }
    const text = this.el.getAttribute(name)!.trim();
    const shown = `${name}="${clip(text)}"`;
    if (/^-\s*\d/.test(text)) throw this.error(`attribute ${shown} is negative`);
    const m = /^(\d+)([KMG]?)$/.exec(text);
    if (!m) throw this.error(`attribute ${shown} is not a number (expected digits with an optional K, M or G)`);
    const value = Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
    if (!Number.isSafeInteger(value) || value > max) throw this.error(`attribute ${shown} is out of range (at most ${Math.min(max, Number.MAX_SAFE_INTEGER)})`);
    return value;
  }

  /** A signed integer attribute (e.g. a priority, "-1"). */
  intAttr(name: string, fallback?: number): number {
    if (!this.el.hasAttribute(name)) {
      if (fallback !== undefined) return fallback;
      throw this.error(`missing attribute "${name}"`);
    }
    const text = this.el.getAttribute(name)!.trim();
    if (!/^-?\d{1,15}$/.test(text)) throw this.error(`attribute ${name}="${clip(text)}" is not an integer`);
    return Number(text);
  }

  boolAttr(name: string, fallback = false): boolean {
    if (!this.el.hasAttribute(name)) return fallback;
    const v = this.el.getAttribute(name);
    if (v === 'yes' || v === 'true') return true;
    if (v === 'no' || v === 'false') return false;
    throw this.error(`attribute ${name}="${clip(v ?? '')}" is not yes/no`);
  }

  attributeNames(): string[] {
    const out: string[] = [];
    for (let i = 0; i < this.el.attributes.length; i++) out.push(this.el.attributes.item(i)!.name);
    return out;
  }

  children(type?: string): XmlNode[] {
    const out: XmlNode[] = [];
    for (let n = this.el.firstChild; n; n = n.nextSibling) {
      if (n.nodeType === 1 && (!type || (n as XmlElement).tagName === type)) out.push(new XmlNode(n as XmlElement, this.source));
    }
    return out;
  }

  child(type: string): XmlNode | undefined {
    return this.children(type)[0];
  }

  /** The node serialised back to XML (e.g. a <config> handed to a child as its ROM). */
  toString(): string {
    return this.el.toString();
  }

  text(): string {
    return this.el.textContent ?? '';
  }
}
