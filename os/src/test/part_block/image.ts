/*
 * Disk images for the part_block scenario, built byte by byte as the specifications lay
 * them out (no code of part_block is used): an MBR (PC partition table, boot-record
 * signature 55 AA, 16-byte entries at 446) with an extended partition holding a chain of
 * EBRs, and a GPT (UEFI 2.x chapter 5: protective MBR, header at LBA 1 and its backup at
 * the last LBA, 128 entries of 128 bytes before the first usable block and after the last,
 * CRC32s of header and entry array). Outside the partitions every byte is FILL; partition
 * N holds `partitionByte(seed, i)`.
 */

export const FILL = 0xe5;

/** Byte `i` of a partition filled with `seed` (block-dependent, so misplaced blocks show). */
export function partitionByte(seed: number, i: number): number {
  return ((Math.imul(i + 1, 2654435761) >>> 24) ^ (i >>> 9) ^ Math.imul(seed, 37)) & 0xff;
}

/** What the writing client writes over its partition's blocks. */
export function writtenByte(seed: number, i: number): number {
  return partitionByte(seed ^ 0x5a, i) ^ 0xff;
}

export interface PartSpec {
  /** Genode's partition number (MBR: 1-4 primary, 5.. logical in chain order; GPT: entry index + 1). */
  number: number;
  start: number;
  length: number;
  seed: number;
  /** MBR partition type. */
  type?: number;
  /** GPT name. */
  name?: string;
}

const SECTOR = 512;

function fillPartitions(img: Uint8Array, parts: PartSpec[]): void {
  for (const p of parts) {
    const base = p.start * SECTOR;
    for (let i = 0; i < p.length * SECTOR; i++) img[base + i] = partitionByte(p.seed, i);
  }
}

function putU32(img: Uint8Array, at: number, v: number): void {
  img[at] = v & 0xff;
  img[at + 1] = (v >>> 8) & 0xff;
  img[at + 2] = (v >>> 16) & 0xff;
  img[at + 3] = (v >>> 24) & 0xff;
}

function putU64(img: Uint8Array, at: number, v: number): void {
  putU32(img, at, v % 2 ** 32);
  putU32(img, at + 4, Math.floor(v / 2 ** 32));
}

/** A partition record: status, CHS first (LBA-mode placeholder FE FF FF), type, CHS last, LBA, sectors. */
function putRecord(sector: Uint8Array, index: number, type: number, lba: number, sectors: number): void {
  const at = 446 + 16 * index;
  sector.fill(0, at, at + 16);
  if (type === 0) return;
  sector.set([0x00, 0xfe, 0xff, 0xff, type, 0xfe, 0xff, 0xff], at);
  putU32(sector, at + 8, lba);
  putU32(sector, at + 12, sectors);
}

function bootRecord(img: Uint8Array, lba: number): Uint8Array {
  const s = img.subarray(lba * SECTOR, (lba + 1) * SECTOR);
  s.fill(0);
  s[510] = 0x55;
  s[511] = 0xaa;
  return s;
}

export interface MbrLayout {
  sectors: number;
  /** Primary partitions (numbers 1-4). */
  primaries: PartSpec[];
  /** The extended partition's slot (1-4), extent and EBRs with the logical partition after each. */
  extended?: { number: number; start: number; length: number; logicals: { ebr: number; part: PartSpec }[] };
}

export function mbrImage(l: MbrLayout): Uint8Array {
  const img = new Uint8Array(l.sectors * SECTOR).fill(FILL);
  const mbr = bootRecord(img, 0);
  for (const p of l.primaries) putRecord(mbr, p.number - 1, p.type ?? 0x83, p.start, p.length);
  const ext = l.extended;
  if (ext) {
    putRecord(mbr, ext.number - 1, 0x05, ext.start, ext.length);
    ext.logicals.forEach(({ ebr, part }, i) => {
      const s = bootRecord(img, ebr);
      /* the logical partition relative to its EBR, the next EBR relative to the extended partition */
      putRecord(s, 0, part.type ?? 0x83, part.start - ebr, part.length);
      const next = ext.logicals[i + 1];
      if (next) putRecord(s, 1, 0x05, next.ebr - ext.start, next.part.start + next.part.length - next.ebr);
    });
  }
  fillPartitions(img, [...l.primaries, ...(ext?.logicals.map((x) => x.part) ?? [])]);
  return img;
}

/* ------------------------------------------------------------------ GPT */

/** CRC-32 as UEFI specifies it (bitwise, reflected polynomial 0xEDB88320). */
export function specCrc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A GUID's 16 bytes from its text form: the first three fields little-endian. */
export function guidBytes(text: string): Uint8Array {
  const h = text.replace(/-/g, '');
  const b = new Uint8Array(16);
  for (let i = 0; i < 16; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  b.subarray(0, 4).reverse();
  b.subarray(4, 6).reverse();
  b.subarray(6, 8).reverse();
  return b;
}

export const LINUX_FS_GUID = '0fc63daf-8483-4772-8e79-3d69d8477de4';
export const BASIC_DATA_GUID = 'ebd0a0a2-b9e5-4433-87c0-68b6b72699c7';

export interface GptLayout {
  sectors: number;
  diskGuid: string;
  /** Partitions by entry index (number - 1), with their type and unique GUIDs. */
  parts: (PartSpec & { typeGuid: string; guid: string })[];
  /** Break the primary header's CRC (part_block then uses the backup). */
  corruptPrimary?: boolean;
}

export const GPT_ENTRIES = 128;
export const GPT_ENTRY_SIZE = 128;

export function gptImage(l: GptLayout): Uint8Array {
  const img = new Uint8Array(l.sectors * SECTOR).fill(FILL);
  const last = l.sectors - 1;
  const arraySectors = (GPT_ENTRIES * GPT_ENTRY_SIZE) / SECTOR; // 32
  const firstUsable = 2 + arraySectors;
  const lastUsable = last - 1 - arraySectors;
  /* protective MBR: one record of type EE covering the disk from LBA 1 */
  const mbr = bootRecord(img, 0);
  putRecord(mbr, 0, 0xee, 1, Math.min(l.sectors - 1, 0xffffffff));
  mbr.set([0x00, 0x02, 0x00], 446 + 1); // CHS 0/0/2
  /* the entry array */
  const array = new Uint8Array(GPT_ENTRIES * GPT_ENTRY_SIZE);
  for (const p of l.parts) {
    const at = (p.number - 1) * GPT_ENTRY_SIZE;
    array.set(guidBytes(p.typeGuid), at);
    array.set(guidBytes(p.guid), at + 16);
    putU64(array, at + 32, p.start);
    putU64(array, at + 40, p.start + p.length - 1);
    const name = p.name ?? '';
    for (let i = 0; i < name.length && i < 36; i++) {
      const u = name.charCodeAt(i);
      array[at + 56 + 2 * i] = u & 0xff;
      array[at + 57 + 2 * i] = u >>> 8;
    }
  }
  const arrayCrc = specCrc32(array);
  const header = (myLba: number, alternate: number, entriesLba: number) => {
    const h = img.subarray(myLba * SECTOR, (myLba + 1) * SECTOR);
    h.fill(0);
    h.set([...'EFI PART'].map((ch) => ch.charCodeAt(0)), 0);
    putU32(h, 8, 0x00010000);
    putU32(h, 12, 92);
    putU64(h, 24, myLba);
    putU64(h, 32, alternate);
    putU64(h, 40, firstUsable);
    putU64(h, 48, lastUsable);
    h.set(guidBytes(l.diskGuid), 56);
    putU64(h, 72, entriesLba);
    putU32(h, 80, GPT_ENTRIES);
    putU32(h, 84, GPT_ENTRY_SIZE);
    putU32(h, 88, arrayCrc);
    putU32(h, 16, specCrc32(h.subarray(0, 92)));
    img.set(array, entriesLba * SECTOR);
    return h;
  };
  const primary = header(1, last, 2);
  header(last, 1, lastUsable + 1);
  if (l.corruptPrimary) primary[60] ^= 0xff; // a byte of the disk GUID: the CRC no longer matches
  fillPartitions(img, l.parts);
  return img;
}

/* ------------------------------------------------------------------ the scenario's disks */

export const MBR_LAYOUT: MbrLayout = {
  sectors: 4096,
  primaries: [
    { number: 1, start: 64, length: 128, seed: 1, type: 0x0c },
    { number: 3, start: 1536, length: 512, seed: 3, type: 0x83 },
  ],
  extended: {
    number: 2, start: 256, length: 1024, logicals: [
      { ebr: 256, part: { number: 5, start: 288, length: 128, seed: 5, type: 0x83 } },
      { ebr: 768, part: { number: 6, start: 800, length: 256, seed: 6, type: 0x0c } },
    ],
  },
};

export const GPT_LAYOUT: GptLayout = {
  sectors: 4096,
  diskGuid: '5b2a8c1e-7d3f-4e21-9a6b-0c4d2e8f1a37',
  parts: [
    { number: 1, start: 64, length: 128, seed: 11, name: 'one', typeGuid: BASIC_DATA_GUID, guid: '5f4061cc-8d4a-4e6f-ad15-10b881b79aee' },
    { number: 2, start: 256, length: 512, seed: 12, name: 'two', typeGuid: LINUX_FS_GUID, guid: '87199a83-d0f4-4a01-b9e3-6516a8579d61' },
    { number: 4, start: 1024, length: 200, seed: 14, name: 'four', typeGuid: LINUX_FS_GUID, guid: 'c0ffee00-1234-4567-89ab-cdef01234567' },
  ],
};
