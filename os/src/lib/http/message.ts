/*
 * HTTP/1.1 message heads (RFC 9112): parsing a request or response head from bytes and
 * writing one. Parsing is strict and bounded: the head must end in CRLF CRLF within the
 * caller's limit, header names are tokens, values have no control characters, at most
 * MAX_HEADERS fields. Errors carry the status a server answers with and say what was wrong.
 */
export const MAX_HEADERS = 64;

export class HttpParseError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface RequestHead {
  method: string;
  target: string;
  version: string;
  /** Field names lower-cased; repeated fields joined with ", ". */
  headers: Map<string, string>;
}

export interface ResponseHead {
  version: string;
  status: number;
  reason: string;
  headers: Map<string, string>;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Index just past the CRLF CRLF ending the head, or -1 if not (yet) there. */
export function headEnd(buf: Uint8Array, from = 0): number {
  for (let i = Math.max(0, from - 3); i + 4 <= buf.length; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i + 4;
  }
  return -1;
}

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

export function encodeLatin1(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function parseFields(lines: string[]): Map<string, string> {
  if (lines.length > MAX_HEADERS) throw new HttpParseError(431, `more than ${MAX_HEADERS} header fields`);
  const headers = new Map<string, string>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpParseError(400, `malformed header line "${printable(line)}"`);
    const name = line.slice(0, colon);
    if (!TOKEN.test(name)) throw new HttpParseError(400, `bad header name "${printable(name)}"`);
    const value = line.slice(colon + 1).trim();
    if (/[\x00-\x08\x0a-\x1f\x7f]/.test(value)) throw new HttpParseError(400, `control character in header "${name}"`);
    const key = name.toLowerCase();
    const prev = headers.get(key);
    headers.set(key, prev === undefined ? value : `${prev}, ${value}`);
  }
  return headers;
}

/** For log lines: no control characters, bounded length. */
export function printable(text: string, max = 80): string {
  const clean = text.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > max ? `${clean.slice(0, max)}...` : clean;
}

function splitLines(head: Uint8Array): string[] {
  const text = latin1(head.subarray(0, head.length - 4));
  const lines = text.split('\r\n');
  for (const l of lines) if (l.includes('\n') || l.includes('\r')) throw new HttpParseError(400, 'bare CR or LF in the head');
  return lines;
}

/** Parses a request head (the bytes up to and including CRLF CRLF). */
export function parseRequestHead(head: Uint8Array): RequestHead {
  const lines = splitLines(head);
  const parts = lines[0].split(' ');
  if (parts.length !== 3) throw new HttpParseError(400, `malformed request line "${printable(lines[0])}"`);
  const [method, target, version] = parts;
  if (!TOKEN.test(method)) throw new HttpParseError(400, `bad method "${printable(method)}"`);
  if (!/^HTTP\/1\.[01]$/.test(version)) {
    throw new HttpParseError(/^HTTP\/\d\.\d$/.test(version) ? 505 : 400, `unsupported version "${printable(version)}"`);
  }
  if (!target.length || /[\x00-\x20\x7f-\xff]/.test(target)) throw new HttpParseError(400, `bad request target "${printable(target)}"`);
  return { method, target, version, headers: parseFields(lines.slice(1)) };
}

/** Parses a response head (the bytes up to and including CRLF CRLF). */
export function parseResponseHead(head: Uint8Array): ResponseHead {
  const lines = splitLines(head);
  const m = /^(HTTP\/1\.[01]) (\d{3})(?: (.*))?$/.exec(lines[0]);
  if (!m) throw new HttpParseError(502, `malformed status line "${printable(lines[0])}"`);
  return { version: m[1], status: Number(m[2]), reason: m[3] ?? '', headers: parseFields(lines.slice(1)) };
}

/** A non-negative decimal Content-Length, undefined if absent; throws if malformed. */
export function contentLength(headers: Map<string, string>, status = 400): number | undefined {
  const v = headers.get('content-length');
  if (v === undefined) return undefined;
  if (!/^\d{1,15}$/.test(v)) throw new HttpParseError(status, `bad Content-Length "${printable(v)}"`);
  return Number(v);
}

export const REASONS: Record<number, string> = {
  200: 'OK', 206: 'Partial Content', 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed',
  408: 'Request Timeout', 413: 'Content Too Large', 414: 'URI Too Long', 416: 'Range Not Satisfiable',
  431: 'Request Header Fields Too Large', 500: 'Internal Server Error', 505: 'HTTP Version Not Supported',
};

export function writeHead(firstLine: string, headers: [string, string | number][]): Uint8Array {
  let text = `${firstLine}\r\n`;
  for (const [k, v] of headers) text += `${k}: ${v}\r\n`;
  return encodeLatin1(`${text}\r\n`);
}

/*
 * A single byte range (RFC 9110 14.1.2) against a representation of `size` bytes:
 * "bytes=a-b", "bytes=a-", "bytes=-n". Returns [start, endInclusive], 'unsatisfiable',
 * or undefined where the header is absent or not one simple range (then the whole
 * representation is sent, as the RFC allows).
 */
export function parseRange(value: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  if (value === undefined) return undefined;
  const m = /^bytes=(\d{0,15})-(\d{0,15})$/.exec(value.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - n), size - 1];
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  const end = m[2] === '' ? size - 1 : Number(m[2]);
  return [start, Math.min(end, size - 1)];
}
