/*
 * A small FAT formatter (what mkfs.vfat does, for images made inside the project: the
 * fs_fat scenario's disk and unit tests): boot sector, FSInfo and backup boot sector on
 * FAT32, both FATs with their two reserved entries, an empty root directory. The FAT type
 * is given or chosen by size; the cluster size is the smallest that gives that type a
 * legal cluster count.
 */
import { FSINFO_LEAD_SIG, FSINFO_STRUC_SIG, FSINFO_TRAIL_SIG, type FatType } from './boot_sector.js';

export interface FormatOptions {
  fatType?: FatType;
  label?: string;
  /** Sectors per cluster (a power of two); chosen when absent. */
  sectorsPerCluster?: number;
  /** BPB_HiddSec: the partition's first LBA. */
  hiddenSectors?: number;
  volumeId?: number;
  sectorSize?: number;
}

const LIMITS: Record<FatType, [number, number]> = { 12: [1, 4084], 16: [4085, 65524], 32: [65525, 0x0ffffff5] };

interface Layout { type: FatType; spc: number; reserved: number; rootEntries: number; fatSize: number; clusters: number }

function layoutFor(type: FatType, total: number, spc: number, ss: number): Layout | null {
  const reserved = type === 32 ? 32 : 1;
  const rootEntries = type === 32 ? 0 : type === 12 && total < 8192 ? 224 : 512;
  const rootSectors = Math.ceil((rootEntries * 32) / ss);
  let fatSize = 1;
  for (let i = 0; i < 16; i++) {
    const data = total - reserved - 2 * fatSize - rootSectors;
    if (data <= 0) return null;
    const clusters = Math.floor(data / spc);
    const need = Math.ceil(((clusters + 2) * type) / 8 / ss);
    if (need <= fatSize) {
      const [lo, hi] = LIMITS[type];
      return clusters >= lo && clusters <= hi ? { type, spc, reserved, rootEntries, fatSize, clusters } : null;
    }
    fatSize = need;
  }
  return null;
}

/** A formatted volume of `totalSectors` sectors, as bytes. */
export function formatFat(totalSectors: number, opts: FormatOptions = {}): Uint8Array {
  const ss = opts.sectorSize ?? 512;
  const types: FatType[] = opts.fatType ? [opts.fatType] : totalSectors < 8400 ? [12, 16] : totalSectors < 1048576 ? [16, 32] : [32];
  let l: Layout | null = null;
  for (const type of types) {
    for (let spc = opts.sectorsPerCluster ?? 1; spc <= 128 && !l; spc *= 2) {
      l = layoutFor(type, totalSectors, spc, ss);
      if (opts.sectorsPerCluster) break;
    }
    if (l) break;
  }
  if (!l) throw new RangeError(`no FAT${opts.fatType ?? ''} layout fits ${totalSectors} sectors`);
  const img = new Uint8Array(totalSectors * ss);
  const v = new DataView(img.buffer);
  const fat32 = l.type === 32;
  img.set(fat32 ? [0xeb, 0x58, 0x90] : [0xeb, 0x3c, 0x90], 0);
  img.set([...'GENODETS'].map((c) => c.charCodeAt(0)), 3);
  v.setUint16(11, ss, true);
  img[13] = l.spc;
  v.setUint16(14, l.reserved, true);
  img[16] = 2;
  v.setUint16(17, l.rootEntries, true);
  if (totalSectors < 0x10000 && !fat32) v.setUint16(19, totalSectors, true);
  else v.setUint32(32, totalSectors, true);
  img[21] = 0xf8;
  if (!fat32) v.setUint16(22, l.fatSize, true);
  v.setUint16(24, 32, true);          // sectors per track
  v.setUint16(26, 64, true);          // heads
  v.setUint32(28, opts.hiddenSectors ?? 0, true);
  const label = (opts.label ?? 'NO NAME').toUpperCase().padEnd(11).slice(0, 11);
  let ext = 36;
  if (fat32) {
    v.setUint32(36, l.fatSize, true);
    v.setUint16(40, 0, true);         // mirrored FATs
    v.setUint16(42, 0, true);
    v.setUint32(44, 2, true);         // root cluster
    v.setUint16(48, 1, true);         // FSInfo
    v.setUint16(50, 6, true);         // backup boot sector
    ext = 64;
  }
  img[ext] = 0x80;                    // drive number
  img[ext + 2] = 0x29;                // extended boot signature
  v.setUint32(ext + 3, opts.volumeId ?? 0x47454e4f, true);
  img.set([...label].map((c) => c.charCodeAt(0)), ext + 7);
  img.set([...(fat32 ? 'FAT32   ' : l.type === 16 ? 'FAT16   ' : 'FAT12   ')].map((c) => c.charCodeAt(0)), ext + 18);
  v.setUint16(510, 0xaa55, true);

  const fatStart = l.reserved;
  for (let copy = 0; copy < 2; copy++) {
    const o = (fatStart + copy * l.fatSize) * ss;
    if (l.type === 12) img.set([0xf8, 0xff, 0xff], o);
    else if (l.type === 16) img.set([0xf8, 0xff, 0xff, 0xff], o);
    else {
      v.setUint32(o, 0x0ffffff8, true);
      v.setUint32(o + 4, 0x0fffffff, true);
      v.setUint32(o + 8, 0x0fffffff, true);  // root directory: one cluster
    }
  }
  if (fat32) {
    const fsi = ss;
    v.setUint32(fsi, FSINFO_LEAD_SIG, true);
    v.setUint32(fsi + 484, FSINFO_STRUC_SIG, true);
    v.setUint32(fsi + 488, l.clusters - 1, true);
    v.setUint32(fsi + 492, 3, true);
    v.setUint32(fsi + 508, FSINFO_TRAIL_SIG, true);
    img.copyWithin(6 * ss, 0, 2 * ss);  // backup boot sector and FSInfo
  }
  /* the volume label as the root directory's first entry */
  const rootAt = (l.reserved + 2 * l.fatSize) * ss;  // FAT32: cluster 2, the first data cluster
  if (opts.label) {
    img.set([...label].map((c) => c.charCodeAt(0)), rootAt);
    img[rootAt + 11] = 0x08;
    v.setUint16(rootAt + 24, (0 << 9) | (1 << 5) | 1, true);
  }
  return img;
}
