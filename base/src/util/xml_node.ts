/*
 * Read-only XML nodes for configs (Genode's Xml_node), parsed with @xmldom/xmldom.
 * Every error names the line and column, so a bad config says where it is bad.
 */
import { DOMParser, type Element as XmlElement } from '@xmldom/xmldom';
import { GenodeError } from '../errors.js';

export class XmlError extends GenodeError {}

interface Located { lineNumber?: number; columnNumber?: number }

function where(n: Located | undefined): string {
  return n?.lineNumber ? `line ${n.lineNumber}, column ${n.columnNumber ?? 0}` : 'unknown position';
}

export class XmlNode {
  private constructor(private readonly el: XmlElement, readonly source: string) {}

  /** Parses a document; `source` names it in errors ("config of init"). */
  static parse(text: string, source = 'XML'): XmlNode {
    const problems: string[] = [];
    let doc;
    try {
      doc = new DOMParser({
        onError: (level: string, msg: string) => {
          if (level !== 'warning') problems.push(msg);
        },
      }).parseFromString(text, 'text/xml');
    } catch (e) {
      const err = e as Error & { locator?: Located };
      const msg = err.message.replace(/^\[xmldom \w+\]\s*/, '').split('\n')[0];
      throw new XmlError(`${source}: malformed XML at ${where(err.locator)}: ${msg}`);
    }
    if (problems.length > 0) {
      const m = /@#\[line:(\d+),col:(\d+)\]/.exec(problems[0]!);
      const pos = m ? `line ${m[1]}, column ${m[2]}` : 'unknown position';
      throw new XmlError(`${source}: malformed XML at ${pos}: ${problems[0]!.split('\n')[0]!.replace(/@#\[.*$/, '').trim()}`);
    }
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

  error(text: string): XmlError {
    return new XmlError(`${this.position}: <${this.type}>: ${text}`);
  }

  hasAttr(name: string): boolean {
    return this.el.hasAttribute(name);
  }

  attr(name: string, fallback?: string): string {
    if (this.el.hasAttribute(name)) return this.el.getAttribute(name) ?? '';
    if (fallback !== undefined) return fallback;
    throw this.error(`missing attribute "${name}"`);
  }

  /** A number attribute, with Genode's K/M/G suffixes for sizes. */
  numberAttr(name: string, fallback?: number): number {
    if (!this.el.hasAttribute(name)) {
      if (fallback !== undefined) return fallback;
      throw this.error(`missing attribute "${name}"`);
    }
    const text = this.el.getAttribute(name)!.trim();
    const m = /^(\d+)([KMG]?)$/.exec(text);
    if (!m) throw this.error(`attribute ${name}="${text}" is not a number`);
    return Number(m[1]) * { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2] as '' | 'K' | 'M' | 'G'];
  }

  /** A signed integer attribute (e.g. a priority, "-1"). */
  intAttr(name: string, fallback?: number): number {
    if (!this.el.hasAttribute(name)) {
      if (fallback !== undefined) return fallback;
      throw this.error(`missing attribute "${name}"`);
    }
    const text = this.el.getAttribute(name)!.trim();
    if (!/^-?\d{1,15}$/.test(text)) throw this.error(`attribute ${name}="${text.slice(0, 32)}" is not an integer`);
    return Number(text);
  }

  boolAttr(name: string, fallback = false): boolean {
    if (!this.el.hasAttribute(name)) return fallback;
    const v = this.el.getAttribute(name);
    if (v === 'yes' || v === 'true') return true;
    if (v === 'no' || v === 'false') return false;
    throw this.error(`attribute ${name}="${v}" is not yes/no`);
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
