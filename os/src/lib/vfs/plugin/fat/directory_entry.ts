/*
 * Directory entries (Microsoft FAT specification, sections 6 and 7): 32-byte short
 * entries and the long-name entries before them, parsed from a directory's bytes (long
 * names whose order numbers or checksums do not fit their short entry are ignored, as the
 * specification asks, and the short name is used) and encoded for writing.
 */
import { LFN_CHAR_OFFSETS, shortNameChecksum, unpackShort } from './names.js';

export const ENTRY_SIZE = 32;
export const ATTR_READ_ONLY = 0x01;
export const ATTR_HIDDEN = 0x02;
export const ATTR_SYSTEM = 0x04;
export const ATTR_VOLUME_ID = 0x08;
export const ATTR_DIRECTORY = 0x10;
export const ATTR_ARCHIVE = 0x20;
export const ATTR_LONG_NAME = 0x0f;
export const DELETED = 0xe5;

/** 1980-01-01 00:00:00: the VFS has no clock yet, so every time stamp written is this. */
export const FIXED_DOS_DATE = (0 << 9) | (1 << 5) | 1;
export const FIXED_DOS_TIME = 0;

export interface DirEntry {
  /** The long name, or the short one (with NT case flags) when there is no valid long name. */
  name: string;
  shortName: string;
  shortRaw: Uint8Array;
  attr: number;
  ntres: number;
  firstCluster: number;
  size: number;
  wrtDate: number;
  wrtTime: number;
  /** Index of the short entry in the directory. */
  index: number;
  /** Index of its first long-name entry (= index without long name). */
  firstSlot: number;
  isDirectory: boolean;
}

export interface ParsedDirectory {
  entries: DirEntry[];
  /** Index of the end-of-directory marker (a name starting with 0): this and all after it are free. */
  end: number;
  /** Slots in use (long, short, volume label, '.' and '..'). */
  used: boolean[];
}

const u16 = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
const u32 = (b: Uint8Array, o: number) => (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0;

export function parseDirectory(bytes: Uint8Array, fat32: boolean): ParsedDirectory {
  const count = Math.floor(bytes.length / ENTRY_SIZE);
  const entries: DirEntry[] = [];
  const used = new Array<boolean>(count).fill(false);
  let lfn: { chars: number[][]; checksum: number; expect: number; first: number; total: number } | null = null;
  let end = count;
  for (let i = 0; i < count; i++) {
    const e = bytes.subarray(i * ENTRY_SIZE, (i + 1) * ENTRY_SIZE);
    if (e[0] === 0) { end = i; break; }
    if (e[0] === DELETED) { lfn = null; continue; }
    used[i] = true;
    const attr = e[11];
    if ((attr & 0x3f) === ATTR_LONG_NAME) {
      const ord = e[0];
      const chars = LFN_CHAR_OFFSETS.map((o) => u16(e, o));
      if (ord & 0x40) {
        const n = ord & 0x1f;
        lfn = n >= 1 && n <= 20 ? { chars: [], checksum: e[13], expect: n, first: i, total: n } : null;
      } else if (!lfn || ord !== lfn.expect || e[13] !== lfn.checksum) {
        lfn = null;
        continue;
      }
      if (lfn) {
        lfn.chars[lfn.expect - 1] = chars;
        lfn.expect--;
      }
      continue;
    }
    const shortRaw = e.slice(0, 11);
    const ntres = e[12];
    const shortName = unpackShort(shortRaw, ntres);
    let name = shortName;
    let firstSlot = i;
    if (lfn && lfn.expect === 0 && lfn.checksum === shortNameChecksum(shortRaw)) {
      const units: number[] = [];
      for (const part of lfn.chars) for (const u of part) units.push(u);
      const stop = units.indexOf(0);
      const text = String.fromCharCode(...(stop < 0 ? units : units.slice(0, stop)));
      /* a long name no VFS path can hold ('/', control characters) falls back to the short one */
      if (text.length > 0 && !/[\u0000-\u001f/]/.test(text)) {
        name = text;
        firstSlot = lfn.first;
      }
    }
    lfn = null;
    if (attr & ATTR_VOLUME_ID) continue;
    if (shortRaw[0] === 0x2e) continue; // '.' and '..'
    const hi = fat32 ? u16(e, 20) : 0;
    entries.push({
      name, shortName, shortRaw, attr, ntres,
      firstCluster: (hi << 16) | u16(e, 26),
      size: u32(e, 28),
      wrtTime: u16(e, 22), wrtDate: u16(e, 24),
      index: i, firstSlot,
      isDirectory: (attr & ATTR_DIRECTORY) !== 0,
    });
  }
  return { entries, end, used };
}

export interface ShortEntryFields {
  shortRaw: Uint8Array;
  attr: number;
  ntres: number;
  firstCluster: number;
  size: number;
  wrtDate?: number;
  wrtTime?: number;
}

export function encodeShortEntry(f: ShortEntryFields): Uint8Array {
  const e = new Uint8Array(ENTRY_SIZE);
  const v = new DataView(e.buffer);
  e.set(f.shortRaw, 0);
  e[11] = f.attr;
  e[12] = f.ntres;
  v.setUint16(14, FIXED_DOS_TIME, true);      // creation time
  v.setUint16(16, FIXED_DOS_DATE, true);      // creation date
  v.setUint16(18, FIXED_DOS_DATE, true);      // last access date
  v.setUint16(20, (f.firstCluster >>> 16) & 0xffff, true);
  v.setUint16(22, f.wrtTime ?? FIXED_DOS_TIME, true);
  v.setUint16(24, f.wrtDate ?? FIXED_DOS_DATE, true);
  v.setUint16(26, f.firstCluster & 0xffff, true);
  v.setUint32(28, f.size, true);
  return e;
}

/** The long-name entries for `name`, in on-disk order (last part first). */
export function encodeLfnEntries(name: string, checksum: number): Uint8Array[] {
  const units = [...name].map((c) => c.charCodeAt(0));
  const n = Math.ceil(units.length / 13);
  const padded = [...units];
  if (padded.length < n * 13) padded.push(0);
  while (padded.length < n * 13) padded.push(0xffff);
  const out: Uint8Array[] = [];
  for (let k = n; k >= 1; k--) {
    const e = new Uint8Array(ENTRY_SIZE);
    e[0] = k | (k === n ? 0x40 : 0);
    e[11] = ATTR_LONG_NAME;
    e[13] = checksum;
    LFN_CHAR_OFFSETS.forEach((o, j) => {
      const u = padded[(k - 1) * 13 + j];
      e[o] = u & 0xff;
      e[o + 1] = u >> 8;
    });
    out.push(e);
  }
  return out;
}

/** Seconds since the UNIX epoch of a DOS date and time (0 for no date), without the host clock. */
export function dosToUnix(date: number, time: number): number {
  if (date === 0) return 0;
  const y = 1980 + (date >> 9);
  const m = (date >> 5) & 0xf;
  const d = date & 0x1f;
  if (m < 1 || m > 12 || d < 1) return 0;
  /* days from civil (Howard Hinnant's algorithm) */
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  const days = era * 146097 + doe - 719468;
  return days * 86400 + (time >> 11) * 3600 + ((time >> 5) & 0x3f) * 60 + (time & 0x1f) * 2;
}
