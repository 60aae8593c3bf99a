/*
 * Tar archives as tar_rom reads them: 512-byte headers (v7, POSIX ustar with its 155-byte
 * prefix field, GNU with 'L' long-name entries, pax 'x' path and size records), sizes
 * in octal or GNU base-256, header checksums verified. Regular files are indexed by
 * their path (without leading "./" and "/"); directories, links, devices and FIFOs are
 * skipped. A corrupt header or an entry reaching past the archive ends the index there
 * with a problem saying so: the files before it are served.
 */

export interface TarFile { path: string; offset: number; size: number }

export interface TarIndex {
  files: Map<string, TarFile>;
  problems: string[];
  skipped: number;
  /** Directory entries (type '5'), for the VFS's tar plugin; tar_rom does not serve them. */
  dirs: Set<string>;
  /** Symbolic links (type '2') and their targets, for the VFS's tar plugin. */
  links: Map<string, string>;
  /** Whether the archive ended with a zero block (else it simply ended, or was cut short). */
  endMarker: boolean;
}

const BLOCK = 512;
const MAX_LONG_NAME = 64 * 1024;

function cstring(b: Uint8Array, from: number, len: number): Uint8Array {
  const f = b.subarray(from, from + len);
  const end = f.indexOf(0);
  return end < 0 ? f : f.subarray(0, end);
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
const text = (b: Uint8Array) => utf8.decode(b);

/** An octal field (digits, then NUL or spaces; leading spaces allowed), or GNU base-256. */
export function numericField(b: Uint8Array, from: number, len: number): number | undefined {
  if (b[from]! & 0x80) {
    if (b[from] === 0xff) return undefined; // negative
    let v = b[from]! & 0x7f;
    for (let i = 1; i < len; i++) {
      v = v * 256 + b[from + i]!;
      if (v > Number.MAX_SAFE_INTEGER) return undefined;
    }
    return v;
  }
  let i = from;
  const end = from + len;
  while (i < end && b[i] === 0x20) i++;
  let v = 0;
  let digits = 0;
  for (; i < end && b[i]! >= 0x30 && b[i]! <= 0x37; i++, digits++) v = v * 8 + (b[i]! - 0x30);
  for (; i < end; i++) if (b[i] !== 0 && b[i] !== 0x20) return undefined;
  return digits === 0 ? 0 : v;
}

/** Normalizes a member name: no leading "./" or "/", no empty or "." elements. */
export function normalizePath(name: string): string {
  return name.split('/').filter((p) => p !== '' && p !== '.').join('/');
}

/** pax extended header records "LEN key=value\n". */
function paxRecords(data: Uint8Array): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(text(data.subarray(i, sp)));
    if (!Number.isSafeInteger(len) || len <= sp - i || i + len > data.length) break;
    const rec = text(data.subarray(sp + 1, i + len - 1));
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

export function indexTar(bytes: Uint8Array): TarIndex {
  const index: TarIndex = { files: new Map(), problems: [], skipped: 0, dirs: new Set(), links: new Map(), endMarker: false };
  const problem = (t: string) => index.problems.push(t);
  let longName: string | undefined;
  let pax = new Map<string, string>();
  let pos = 0;
  while (pos < bytes.length) {
    if (pos + BLOCK > bytes.length) {
      problem(`header at byte ${pos}: only ${bytes.length - pos} bytes left of a 512-byte header; archive cut short`);
      break;
    }
    const h = bytes.subarray(pos, pos + BLOCK);
    if (h.every((x) => x === 0)) { index.endMarker = true; break; }
    const stored = numericField(h, 148, 8);
    let sum = 0;
    let signedSum = 0;
    for (let i = 0; i < BLOCK; i++) {
      const x = i >= 148 && i < 156 ? 0x20 : h[i]!;
      sum += x;
      signedSum += x > 127 ? x - 256 : x;
    }
    const rawName = text(cstring(h, 0, 100)).replace(/[^\x20-\x7e]/g, '?');
    if (stored === undefined || (stored !== sum && stored !== signedSum)) {
      problem(`header at byte ${pos} ("${rawName}"): checksum ${stored === undefined ? 'field is not octal' : `${stored} does not match ${sum}`}: corrupt header, the archive is not read further`);
      break;
    }
    let size = numericField(h, 124, 12);
    if (size === undefined) {
      problem(`header at byte ${pos} ("${rawName}"): size field is not a number: corrupt header, the archive is not read further`);
      break;
    }
    const type = String.fromCharCode(h[156]!);
    const magic = text(h.subarray(257, 262));
    const ustar = magic === 'ustar' && h[262] === 0 && h[263] === 0x30 && h[264] === 0x30;
    const paxSize = pax.get('size');
    if (paxSize !== undefined && /^\d+$/.test(paxSize) && Number.isSafeInteger(Number(paxSize))) size = Number(paxSize);
    const data = pos + BLOCK;
    if (size > bytes.length - data) {
      problem(`entry "${rawName}" at byte ${pos}: size ${size} reaches past the end of the archive (${bytes.length} bytes): the archive is not read further`);
      break;
    }
    const next = data + Math.ceil(size / BLOCK) * BLOCK;
    const content = bytes.subarray(data, data + size);
    switch (type) {
      case 'L':
        if (size > MAX_LONG_NAME) problem(`GNU long name at byte ${pos} is ${size} bytes; ignored`);
        else longName = text(cstring(content, 0, content.length));
        pos = next;
        continue;
      case 'K':
        pos = next;
        continue;
      case 'x':
        pax = paxRecords(content);
        pos = next;
        continue;
      case 'g':
        pos = next;
        continue;
      default:
        break;
    }
    let name = longName ?? pax.get('path');
    if (name === undefined) {
      const base = text(cstring(h, 0, 100));
      const prefix = ustar ? text(cstring(h, 345, 155)) : '';
      name = prefix ? `${prefix}/${base}` : base;
    }
    longName = undefined;
    const entryPax = pax;
    pax = new Map();
    const regular = type === '0' || type === '\0' || type === '7';
    const path = normalizePath(name);
    if (!regular || name.endsWith('/') || path === '') {
      index.skipped++;
      if (path !== '' && !path.split('/').includes('..')) {
        if (type === '5') index.dirs.add(path);
        else if (type === '2') index.links.set(path, entryPax.get('linkpath') ?? text(cstring(h, 157, 100)));
      }
    } else if (path.split('/').includes('..')) {
      problem(`entry "${path}" at byte ${pos}: ".." in the path; skipped`);
    } else {
      index.files.set(path, { path, offset: data, size });
    }
    pos = next;
  }
  return index;
}
