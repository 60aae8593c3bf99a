/*
 * FAT names (Microsoft FAT specification, sections 6 and 7): which long names are legal,
 * the 8.3 short name stored for each name (basis name plus a "~N" numeric tail when the
 * long name does not fit or collides), the lower-case flags Windows NT keeps in
 * DIR_NTRes for names that are 8.3 apart from case, and the short name's checksum that
 * ties long-name entries to their short entry.
 */
import { VfsError } from '../../file_system.js';

export const LFN_MAX = 255;
/** Genode's Dirent name limit (bytes of UTF-8 without the terminating zero). */
export const NAME_MAX_UTF8 = 127;

/** DIR_NTRes bits: base name / extension shown in lower case. */
export const NT_LOWER_BASE = 0x08;
export const NT_LOWER_EXT = 0x10;

const SHORT_SPECIAL = "$%'-_@~`!(){}^#&";
const isShortChar = (ch: string) => (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || SHORT_SPECIAL.includes(ch);

/** Refuses names FAT cannot hold (INVALID, NAME_TOO_LONG). */
export function checkLongName(name: string): void {
  if (name === '' || name === '.' || name === '..') throw new VfsError('INVALID', `"${name}" is no file name`);
  if (name.length > LFN_MAX) throw new VfsError('NAME_TOO_LONG', `"${name.slice(0, 20)}...": ${name.length} characters, FAT allows ${LFN_MAX}`);
  if (new TextEncoder().encode(name).length > NAME_MAX_UTF8) throw new VfsError('NAME_TOO_LONG', `"${name.slice(0, 20)}...": longer than ${NAME_MAX_UTF8} bytes`);
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x20 || '"*/:<>?\\|'.includes(ch)) throw new VfsError('INVALID', `"${name}": character ${JSON.stringify(ch)} is not allowed in FAT names`);
    if (c > 0xffff) throw new VfsError('INVALID', `"${name}": characters outside the basic multilingual plane are not allowed in FAT names`);
  }
  if (/[ .]$/.test(name)) throw new VfsError('INVALID', `"${name}": FAT names do not end in a space or a period`);
}

/** The 11 bytes of a short name ("FOO     TXT") from its two parts. */
export function packShort(base: string, ext: string): Uint8Array {
  const out = new Uint8Array(11).fill(0x20);
  for (let i = 0; i < base.length; i++) out[i] = base.charCodeAt(i);
  for (let i = 0; i < ext.length; i++) out[8 + i] = ext.charCodeAt(i);
  if (out[0] === 0xe5) out[0] = 0x05;
  return out;
}

/** The displayed form of an 11-byte short name, with the NT lower-case flags applied. */
export function unpackShort(raw: Uint8Array, ntres: number): string {
  const bytes = [...raw];
  if (bytes[0] === 0x05) bytes[0] = 0xe5;
  /* bytes no path can hold ('/', control characters, non-ASCII of an unknown code page) show as '_' */
  const str = (b: number[]) => String.fromCharCode(...b.map((x) => (x >= 0x20 && x < 0x80 && x !== 0x2f ? x : 0x5f))).trimEnd();
  let base = str(bytes.slice(0, 8));
  let ext = str(bytes.slice(8, 11));
  if (ntres & NT_LOWER_BASE) base = base.toLowerCase();
  if (ntres & NT_LOWER_EXT) ext = ext.toLowerCase();
  return ext ? `${base}.${ext}` : base;
}

export interface ShortForm {
  raw: Uint8Array;
  ntres: number;
  /** The name needs long-name entries (it is no 8.3 name even apart from case). */
  needsLfn: boolean;
}

/**
 * The name as a short name if it is one (8.3, legal characters, each part of one case):
 * stored without long-name entries. Null if it needs a generated short name.
 */
export function exactShortForm(name: string): ShortForm | null {
  if (name.startsWith('.')) return null;
  const dot = name.lastIndexOf('.');
  const base = dot < 0 ? name : name.slice(0, dot);
  const ext = dot < 0 ? '' : name.slice(dot + 1);
  if (base.length < 1 || base.length > 8 || ext.length > 3 || (dot >= 0 && ext.length === 0)) return null;
  const upBase = base.toUpperCase();
  const upExt = ext.toUpperCase();
  if (![...upBase, ...upExt].every(isShortChar)) return null;
  const caseOf = (s: string) => (s === s.toUpperCase() ? (s === s.toLowerCase() ? 'none' : 'upper') : s === s.toLowerCase() ? 'lower' : 'mixed');
  const cb = caseOf(base);
  const ce = caseOf(ext);
  if (cb === 'mixed' || ce === 'mixed') return null;
  const ntres = (cb === 'lower' ? NT_LOWER_BASE : 0) | (ce === 'lower' ? NT_LOWER_EXT : 0);
  return { raw: packShort(upBase, upExt), ntres, needsLfn: false };
}

/** Maps a long name's part to short-name characters ('_' for what a short name cannot hold). */
function shortChars(s: string): { text: string; lossy: boolean } {
  let text = '';
  let lossy = false;
  for (const ch of s.toUpperCase()) {
    if (ch === ' ' || ch === '.') { lossy = true; continue; }
    if (isShortChar(ch)) text += ch;
    else { text += '_'; lossy = true; }
  }
  return { text, lossy };
}

/**
 * The generated short name for a long name (the specification's basis-name algorithm
 * with numeric tails): `taken` tells whether an 11-byte name is in use in the directory.
 */
export function generateShortName(name: string, taken: (raw: Uint8Array) => boolean): Uint8Array {
  const stripped = name.replace(/^\.+/, '');
  const dot = stripped.lastIndexOf('.');
  const b = shortChars(dot < 0 ? stripped : stripped.slice(0, dot));
  const e = shortChars(dot < 0 ? '' : stripped.slice(dot + 1));
  const base = b.text.slice(0, 8) || '_';
  const ext = e.text.slice(0, 3);
  const lossy = b.lossy || e.lossy || b.text.length > 8 || e.text.length > 3 || name.startsWith('.');
  if (!lossy) {
    const raw = packShort(base, ext);
    if (!taken(raw)) return raw;
  }
  for (let n = 1; n <= 999999; n++) {
    const tail = `~${n}`;
    const raw = packShort(base.slice(0, 8 - tail.length) + tail, ext);
    if (!taken(raw)) return raw;
  }
  throw new VfsError('NO_SPACE', `no free short name for "${name}"`);
}

/** The checksum of an 11-byte short name that every long-name entry of it carries. */
export function shortNameChecksum(raw: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < 11; i++) sum = (((sum & 1) << 7) + (sum >> 1) + raw[i]) & 0xff;
  return sum;
}

/** UCS-2 positions of the 13 characters in a long-name entry. */
export const LFN_CHAR_OFFSETS = [1, 3, 5, 7, 9, 14, 16, 18, 20, 22, 24, 28, 30];

/** Case-insensitive key for lookups (FAT names compare without case). */
export const nameKey = (name: string) => name.toUpperCase();
