/*
 * Partition tables as Genode's part_block reads them (repos/os/src/server/part_block: mbr.h,
 * gpt.h, disk.h): the MBR with its four primary entries and the chain of extended boot
 * records (EBRs) behind an extended entry (logical partitions numbered from 5), the GUID
 * partition table behind a protective MBR (header and entry-array CRC32s checked; the
 * primary header at LBA 1, the backup header at the device's last LBA if the primary is
 * unusable), and, without either, the whole device as partition 0.
 *
 * Nothing on the disk is trusted: entries reaching past the device (or, for GPT, outside
 * the usable range), empty entries, EBR chains that loop or leave the extended partition,
 * GPT headers with wrong sizes, CRCs or LBAs and entry arrays too large to read are
 * refused with a message naming what is wrong; the valid partitions are served anyway.
 *
 * The reader is asynchronous (part_block reads through its own Block session); these
 * functions are pure otherwise, so the unit tests drive them with an in-memory image.
 */

/** Reads `count` blocks at `lba`; undefined if the device refused. */
export type BlockReader = (lba: number, count: number) => Promise<Uint8Array | undefined>;

export interface Partition {
  /** Genode's partition number: MBR 1-4 primary, 5.. logical; GPT the entry's index + 1; 0 the whole device. */
  number: number;
  /** First block on the device. */
  start: number;
  /** Blocks. */
  length: number;
  /** MBR partition type. */
  mbrType?: number;
  /** GPT: type GUID, unique GUID, name. */
  typeGuid?: string;
  guid?: string;
  name?: string;
}

export interface PartitionTable {
  type: 'mbr' | 'gpt' | 'disk';
  partitions: Partition[];
  /** GPT: the usable range's size and the blocks the partitions use (Genode's report attributes). */
  gptTotal?: number;
  gptUsed?: number;
}

export interface ParseOptions {
  blockSize: number;
  blockCount: number;
  ignoreMbr?: boolean;
  ignoreGpt?: boolean;
  /** Diagnostics: `Error: ...` and `Warning: ...` lines, and Genode's per-partition lines. */
  log: (line: string) => void;
}

/* ------------------------------------------------------------------ CRC32 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, reflected, as UEFI's GPT uses it). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/* ------------------------------------------------------------------ helpers */

function u32(b: Uint8Array, at: number): number {
  return (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;
}

/** A little-endian 64-bit field, or NaN if it does not fit a safe integer. */
function u64(b: Uint8Array, at: number): number {
  const lo = u32(b, at);
  const hi = u32(b, at + 4);
  if (hi >= 0x200000) return NaN;
  return hi * 2 ** 32 + lo;
}

const hex = (v: number, digits: number) => v.toString(16).padStart(digits, '0');

/** A GUID in its mixed-endian text form (Genode's Uuid::print). */
export function guidText(b: Uint8Array, at: number): string {
  const le = (off: number, n: number) => {
    let s = '';
    for (let i = n - 1; i >= 0; i--) s += hex(b[at + off + i]!, 2);
    return s;
  };
  const be = (off: number, n: number) => {
    let s = '';
    for (let i = 0; i < n; i++) s += hex(b[at + off + i]!, 2);
    return s;
  };
  return `${le(0, 4)}-${le(4, 2)}-${le(6, 2)}-${be(8, 2)}-${be(10, 6)}`;
}

/** A GPT entry's UTF-16LE name (36 code units, up to the first NUL), control characters as '?'. */
function gptName(b: Uint8Array, at: number): string {
  const units: number[] = [];
  for (let i = 0; i < 36; i++) {
    const u = b[at + 2 * i]! | (b[at + 2 * i + 1]! << 8);
    if (u === 0) break;
    units.push(u);
  }
  let s = '';
  for (let i = 0; i < units.length; i++) {
    let cp = units[i]!;
    if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < units.length && units[i + 1]! >= 0xdc00 && units[i + 1]! < 0xe000) {
      cp = 0x10000 + ((cp - 0xd800) << 10) + (units[++i]! - 0xdc00);
    } else if (cp >= 0xd800 && cp < 0xe000) cp = 0xfffd;
    /* no control characters or quotes in log lines and report attributes */
    s += cp < 0x20 || cp === 0x7f || cp === 0x22 ? '?' : String.fromCodePoint(cp);
  }
  return s;
}

/* ------------------------------------------------------------------ MBR */

const MBR_MAX_PARTITIONS = 32;
const TYPE_EXTENDED_CHS = 0x05;
const TYPE_EXTENDED_LBA = 0x0f;
const TYPE_PROTECTIVE = 0xee;

interface MbrRecord { type: number; lba: number; sectors: number }

function record(b: Uint8Array, index: number): MbrRecord {
  const at = 446 + 16 * index;
  return { type: b[at + 4]!, lba: u32(b, at + 8), sectors: u32(b, at + 12) };
}

const bootRecordValid = (b: Uint8Array) => b.length >= 512 && b[510] === 0x55 && b[511] === 0xaa;
const isExtended = (t: number) => t === TYPE_EXTENDED_CHS || t === TYPE_EXTENDED_LBA;

type MbrResult = { kind: 'mbr'; partitions: Partition[] } | { kind: 'protective' } | { kind: 'none' };

async function parseMbr(read: BlockReader, o: ParseOptions): Promise<MbrResult> {
  const b = await read(0, 1);
  if (!b) {
    o.log('Error: cannot read block 0 (the MBR)');
    return { kind: 'none' };
  }
  if (!bootRecordValid(b)) return { kind: 'none' };
  const records = [0, 1, 2, 3].map((i) => record(b, i));
  if (records.some((r) => r.type === TYPE_PROTECTIVE)) return { kind: 'protective' };
  const partitions: Partition[] = [];
  /* a partition must lie on the device and have blocks */
  const accept = (nr: number, type: number, lba: number, sectors: number, where: string) => {
    if (sectors === 0) o.log(`Error: MBR partition ${nr}${where}: no blocks, ignored`);
    else if (lba === 0) o.log(`Error: MBR partition ${nr}${where}: starts at LBA 0 (the MBR), ignored`);
    else if (lba >= o.blockCount || sectors > o.blockCount - lba) {
      o.log(`Error: MBR partition ${nr}${where}: LBA ${lba} + ${sectors} blocks reaches past the device's ${o.blockCount} blocks, ignored`);
    } else {
      partitions.push({ number: nr, start: lba, length: sectors, mbrType: type });
      return true;
    }
    return false;
  };
  let extendedSeen = false;
  for (let i = 0; i < 4; i++) {
    const r = records[i]!;
    if (r.type === 0) continue;
    o.log(`MBR Partition ${i + 1}: LBA ${r.lba} (${r.sectors} blocks) type: ${hex(r.type, 2)}`);
    if (!isExtended(r.type)) {
      accept(i + 1, r.type, r.lba, r.sectors, '');
      continue;
    }
    if (extendedSeen) {
      o.log(`Error: MBR partition ${i + 1}: a second extended partition, ignored`);
      continue;
    }
    extendedSeen = true;
    if (r.lba === 0 || r.lba >= o.blockCount || r.sectors > o.blockCount - r.lba || r.sectors === 0) {
      o.log(`Error: MBR partition ${i + 1}: extended partition at LBA ${r.lba} (${r.sectors} blocks) does not lie on the device's ${o.blockCount} blocks, no logical partitions`);
      continue;
    }
    await parseExtended(read, o, r, partitions, accept);
  }
  return { kind: 'mbr', partitions };
}

/** The EBR chain: each EBR's first record is a logical partition (relative to the EBR), its second the next EBR (relative to the extended partition). */
async function parseExtended(
  read: BlockReader, o: ParseOptions, ext: MbrRecord, partitions: Partition[],
  accept: (nr: number, type: number, lba: number, sectors: number, where: string) => boolean,
): Promise<void> {
  const extEnd = ext.lba + ext.sectors;
  const visited = new Set<number>();
  let lba = ext.lba;
  let nr = 5;
  for (;;) {
    if (visited.has(lba)) {
      o.log(`Error: the EBR chain loops back to LBA ${lba}; logical partitions after ${nr - 1} ignored`);
      return;
    }
    if (nr >= MBR_MAX_PARTITIONS) {
      o.log(`Error: more than ${MBR_MAX_PARTITIONS - 5} logical partitions; the rest of the EBR chain (from LBA ${lba}) ignored`);
      return;
    }
    visited.add(lba);
    const b = await read(lba, 1);
    if (!b) {
      o.log(`Error: cannot read the EBR at LBA ${lba}`);
      return;
    }
    if (!bootRecordValid(b)) {
      o.log(`Error: the EBR at LBA ${lba} has no boot-record signature; the EBR chain ends there`);
      return;
    }
    const logical = record(b, 0);
    const next = record(b, 1);
    if (logical.type !== 0) {
      const start = lba + logical.lba;
      o.log(`MBR Partition ${nr}: LBA ${start} (${logical.sectors} blocks) type: ${hex(logical.type, 2)}`);
      if (isExtended(logical.type)) o.log(`Error: MBR partition ${nr}: an extended partition inside the extended partition, ignored`);
      else if (start + logical.sectors > extEnd || logical.lba === 0) {
        o.log(`Error: MBR partition ${nr}: LBA ${start} + ${logical.sectors} blocks does not lie inside its extended partition (LBA ${ext.lba}..${extEnd - 1}) after its EBR, ignored`);
      } else accept(nr, logical.type, start, logical.sectors, '');
      nr++;
    }
    if (next.type === 0) return;
    if (!isExtended(next.type)) {
      o.log(`Error: the EBR at LBA ${lba} links to a record of type ${hex(next.type, 2)}, not an EBR; the EBR chain ends there`);
      return;
    }
    const nextLba = ext.lba + next.lba;
    if (next.lba === 0 || nextLba >= extEnd) {
      o.log(`Error: the EBR at LBA ${lba} links to LBA ${nextLba}, outside its extended partition (LBA ${ext.lba}..${extEnd - 1}); the EBR chain ends there`);
      return;
    }
    lba = nextLba;
  }
}

/* ------------------------------------------------------------------ GPT */

const GPT_SIGNATURE = 'EFI PART';
const GPT_MAX_PARTITIONS = 128;
/** The largest entry array read (the spec's usual 128 x 128 bytes is 16 KiB). */
const GPT_MAX_ARRAY_BYTES = 1 << 20;

interface GptHeader {
  myLba: number;
  alternateLba: number;
  firstUsable: number;
  lastUsable: number;
  entriesLba: number;
  entries: number;
  entrySize: number;
  arrayCrc: number;
  diskGuid: string;
}

/** Reads and checks the header at `lba`; a string says why it is unusable. */
async function readGptHeader(read: BlockReader, o: ParseOptions, lba: number): Promise<GptHeader | string> {
  const b = await read(lba, 1);
  if (!b) return `cannot read block ${lba}`;
  let sig = '';
  for (let i = 0; i < 8; i++) sig += String.fromCharCode(b[i]!);
  if (sig !== GPT_SIGNATURE) return 'no "EFI PART" signature';
  const headerSize = u32(b, 12);
  if (headerSize < 92 || headerSize > o.blockSize) return `header size ${headerSize} is outside 92..${o.blockSize}`;
  const crc = u32(b, 16);
  const copy = b.slice(0, headerSize);
  copy.fill(0, 16, 20);
  const actual = crc32(copy);
  if (actual !== crc) return `header CRC32 ${hex(crc, 8)} does not match its contents (${hex(actual, 8)})`;
  const h: GptHeader = {
    myLba: u64(b, 24), alternateLba: u64(b, 32), firstUsable: u64(b, 40), lastUsable: u64(b, 48),
    diskGuid: guidText(b, 56), entriesLba: u64(b, 72), entries: u32(b, 80), entrySize: u32(b, 84), arrayCrc: u32(b, 88),
  };
  if (h.myLba !== lba) return `header at LBA ${lba} says it lies at LBA ${h.myLba}`;
  if (!(h.firstUsable <= h.lastUsable) || h.lastUsable >= o.blockCount) {
    return `usable blocks ${h.firstUsable}..${h.lastUsable} do not lie on the device's ${o.blockCount} blocks`;
  }
  if (h.entrySize < 128 || h.entrySize % 8 !== 0 || h.entrySize > o.blockSize * 8) return `entry size ${h.entrySize} is not a multiple of 8 in 128..${o.blockSize * 8}`;
  if (h.entries === 0) return 'the entry array has no entries';
  const bytes = h.entries * h.entrySize;
  if (bytes > GPT_MAX_ARRAY_BYTES) return `the entry array of ${h.entries} x ${h.entrySize} bytes exceeds ${GPT_MAX_ARRAY_BYTES} bytes`;
  const blocks = Math.ceil(bytes / o.blockSize);
  if (!(h.entriesLba >= 1) || h.entriesLba >= o.blockCount || blocks > o.blockCount - h.entriesLba) {
    return `the entry array at LBA ${h.entriesLba} (${blocks} blocks) does not lie on the device's ${o.blockCount} blocks`;
  }
  return h;
}

async function readGptArray(read: BlockReader, o: ParseOptions, h: GptHeader): Promise<Uint8Array | string> {
  const bytes = h.entries * h.entrySize;
  const blocks = Math.ceil(bytes / o.blockSize);
  const b = await read(h.entriesLba, blocks);
  if (!b) return `cannot read the entry array at LBA ${h.entriesLba} (${blocks} blocks)`;
  const array = b.subarray(0, bytes);
  const actual = crc32(array);
  if (actual !== h.arrayCrc) return `entry-array CRC32 ${hex(h.arrayCrc, 8)} does not match the array at LBA ${h.entriesLba} (${hex(actual, 8)})`;
  return array;
}

async function parseGpt(read: BlockReader, o: ParseOptions, expected: boolean): Promise<PartitionTable | undefined> {
  const say = (line: string) => { if (expected) o.log(line); };
  const last = o.blockCount - 1;
  let header: GptHeader | undefined;
  let array: Uint8Array | undefined;
  const primary = await readGptHeader(read, o, 1);
  let primaryProblem: string | undefined;
  if (typeof primary === 'string') primaryProblem = primary;
  else {
    const a = await readGptArray(read, o, primary);
    if (typeof a === 'string') primaryProblem = a;
    else {
      header = primary;
      array = a;
    }
  }
  if (primaryProblem) {
    /* no GPT at all unless a protective MBR announced one or the backup is there */
    const backup = await readGptHeader(read, o, last);
    if (typeof backup === 'string') {
      say(`Error: primary GPT header (LBA 1) unusable: ${primaryProblem}`);
      say(`Error: backup GPT header (LBA ${last}) unusable: ${backup}`);
      return undefined;
    }
    const a = await readGptArray(read, o, backup);
    if (typeof a === 'string') {
      say(`Error: primary GPT header (LBA 1) unusable: ${primaryProblem}`);
      say(`Error: backup GPT header (LBA ${last}) unusable: ${a}`);
      return undefined;
    }
    o.log(`Warning: primary GPT header (LBA 1) unusable: ${primaryProblem}; using the backup header at LBA ${last}`);
    header = backup;
    array = a;
  } else {
    /* Genode checks the backup too and warns */
    const h = header!;
    const backup = h.alternateLba >= 1 && h.alternateLba < o.blockCount ? await readGptHeader(read, o, h.alternateLba) : `its LBA ${h.alternateLba} is not on the device`;
    const bad = typeof backup === 'string' ? backup : await readGptArray(read, o, backup);
    if (typeof bad === 'string') o.log(`Warning: backup GPT header is corrupted (${bad})`);
  }
  const h = header!;
  const entries = array!;
  const partitions: Partition[] = [];
  let used = 0;
  const n = Math.min(h.entries, GPT_MAX_PARTITIONS);
  if (h.entries > GPT_MAX_PARTITIONS) {
    for (let i = GPT_MAX_PARTITIONS; i < h.entries; i++) {
      if (!entries.subarray(i * h.entrySize, i * h.entrySize + 16).every((v) => v === 0)) {
        o.log(`Warning: GPT entries beyond the first ${GPT_MAX_PARTITIONS} are in use and ignored`);
        break;
      }
    }
  }
  for (let i = 0; i < n; i++) {
    const at = i * h.entrySize;
    const e = entries.subarray(at, at + h.entrySize);
    /* an unused entry has the zero type GUID (Genode looks at its first 32 bits) */
    if (e.subarray(0, 16).every((v) => v === 0)) continue;
    const start = u64(e, 32);
    const end = u64(e, 40);
    const typeGuid = guidText(e, 0);
    const name = gptName(e, 56);
    const nr = i + 1;
    if (!(start <= end)) {
      o.log(`Error: GPT partition ${nr}: first LBA ${u32(e, 32)} + 2^32 * ${u32(e, 36)} after last LBA ${u32(e, 40)} + 2^32 * ${u32(e, 44)}, ignored`);
      continue;
    }
    const length = end - start + 1;
    o.log(`GPT Partition ${nr}: LBA ${start} (${length} blocks) type: '${typeGuid}' name: '${name}'`);
    if (start < h.firstUsable || end > h.lastUsable) {
      o.log(`Error: GPT partition ${nr}: LBA ${start}..${end} lies outside the usable blocks ${h.firstUsable}..${h.lastUsable}, ignored`);
      continue;
    }
    used += length;
    partitions.push({ number: nr, start, length, typeGuid, guid: guidText(e, 16), name });
  }
  if (partitions.length === 0) {
    say('Error: the GPT holds no usable partition');
    return undefined;
  }
  return { type: 'gpt', partitions, gptTotal: h.lastUsable - h.firstUsable + 1, gptUsed: used };
}

/* ------------------------------------------------------------------ the table */

/** Overlapping partitions are served (Genode does), but named. */
function warnOverlaps(t: PartitionTable, o: ParseOptions): void {
  const p = [...t.partitions].sort((a, b) => a.start - b.start);
  for (let i = 1; i < p.length; i++) {
    const a = p[i - 1]!;
    const b = p[i]!;
    if (b.start < a.start + a.length) o.log(`Warning: partitions ${a.number} and ${b.number} overlap`);
  }
}

/**
 * Genode's choice (main.cc, `_table`): the MBR and the GPT are both read unless ignored;
 * both valid is ambiguous (an error: nothing is served); a GPT without protective MBR is
 * used with a warning; neither gives the whole device as partition 0.
 */
export async function parsePartitionTable(read: BlockReader, o: ParseOptions): Promise<PartitionTable | string> {
  if (o.ignoreMbr && o.ignoreGpt) return 'invalid configuration: cannot ignore GPT as well as MBR';
  if (o.blockSize < 512) return `block size ${o.blockSize} is smaller than a boot record (512 bytes)`;
  let mbr: MbrResult = { kind: 'none' };
  if (!o.ignoreMbr) mbr = await parseMbr(read, o);
  let gpt: PartitionTable | undefined;
  if (!o.ignoreGpt && o.blockCount >= 3) gpt = await parseGpt(read, o, mbr.kind === 'protective');
  if (mbr.kind === 'mbr' && gpt) return 'ambiguous tables: found a valid MBR as well as a valid GPT (set ignore_mbr or ignore_gpt)';
  if (gpt && mbr.kind !== 'protective' && !o.ignoreMbr) o.log('Warning: will use GPT without proper protective MBR');
  if (mbr.kind === 'protective' && o.ignoreGpt) o.log('Warning: found protective MBR but GPT is to be ignored');
  if (mbr.kind === 'protective' && !gpt && !o.ignoreGpt) o.log('Warning: protective MBR without a usable GPT');
  let t: PartitionTable;
  if (gpt) t = gpt;
  else if (mbr.kind === 'mbr') t = { type: 'mbr', partitions: mbr.partitions.sort((a, b) => a.number - b.number) };
  else t = { type: 'disk', partitions: [{ number: 0, start: 0, length: o.blockCount }] };
  warnOverlaps(t, o);
  return t;
}

const attrText = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Genode's "partitions" report (the XML its Reporter generates), one line per node. */
export function reportLines(t: PartitionTable, blockSize: number, blockCount: number): string[] {
  const lines: string[] = [];
  if (t.type === 'gpt') lines.push(`<partitions type="gpt" total_blocks="${blockCount}" gpt_total="${t.gptTotal}" gpt_used="${t.gptUsed}">`);
  else lines.push(`<partitions type="${t.type}">`);
  for (const p of t.partitions) {
    if (t.type === 'gpt') {
      lines.push(`  <partition number="${p.number}" name="${attrText(p.name ?? '')}" type="${p.typeGuid}" guid="${p.guid}" start="${p.start}" length="${p.length}" block_size="${blockSize}"/>`);
    } else if (t.type === 'mbr') {
      lines.push(`  <partition number="${p.number}" start="${p.start}" length="${p.length}" block_size="${blockSize}" type="${p.mbrType}"/>`);
    } else {
      lines.push(`  <partition number="0" start="0" length="${p.length}" block_size="${blockSize}"/>`);
    }
  }
  lines.push('</partitions>');
  return lines;
}
