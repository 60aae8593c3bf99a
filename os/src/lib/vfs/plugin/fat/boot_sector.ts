/*
 * The boot sector's BIOS parameter block (Microsoft FAT specification, section 3) parsed
 * and checked, and the volume's layout derived from it. The FAT type follows from the
 * count of data clusters alone (< 4085: FAT12, < 65525: FAT16, else FAT32), never from
 * the BS_FilSysType string. A value that makes no sense is refused with VfsError('IO')
 * naming the field, so a corrupt or foreign medium is never mounted.
 */
import { VfsError } from '../../file_system.js';

export type FatType = 12 | 16 | 32;

export interface FatGeometry {
  fatType: FatType;
  bytesPerSector: number;
  sectorsPerCluster: number;
  bytesPerCluster: number;
  reservedSectors: number;
  numFats: number;
  /** Root directory entries (FAT12/16; 0 on FAT32). */
  rootEntries: number;
  totalSectors: number;
  /** Sectors of one FAT copy. */
  fatSize: number;
  /** First sector of the fixed root directory (FAT12/16). */
  rootDirSector: number;
  rootDirSectors: number;
  /** First sector of cluster 2. */
  firstDataSector: number;
  /** Data clusters: valid cluster numbers are 2 .. clusterCount + 1. */
  clusterCount: number;
  /** FAT32: the root directory's first cluster, the FSInfo sector; 0 otherwise. */
  rootCluster: number;
  fsInfoSector: number;
  /** FAT32 BPB_ExtFlags: mirroring off, only FAT `activeFat` is used. */
  mirroring: boolean;
  activeFat: number;
  volumeLabel: string;
}

const fail = (field: string, what: string): never => {
  throw new VfsError('IO', `bad FAT boot sector: ${field} ${what}`);
};

const powerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0;

/** Parses sector 0 of a volume of `deviceSectors` sectors of `deviceSectorSize` bytes. */
export function parseBootSector(bs: Uint8Array, deviceSectorSize: number, deviceSectors: number): FatGeometry {
  if (bs.length < 512) fail('sector', `is ${bs.length} bytes, shorter than 512`);
  const v = new DataView(bs.buffer, bs.byteOffset, bs.byteLength);
  const u8 = (o: number) => v.getUint8(o);
  const u16 = (o: number) => v.getUint16(o, true);
  const u32 = (o: number) => v.getUint32(o, true);

  if (!(u8(0) === 0xeb && u8(2) === 0x90) && u8(0) !== 0xe9) fail('BS_jmpBoot', `(${[0, 1, 2].map((i) => u8(i).toString(16).padStart(2, '0')).join(' ')}) is no x86 jump: no FAT file system`);
  if (u16(510) !== 0xaa55) fail('signature (offset 510)', `is 0x${u16(510).toString(16)}, not 0xaa55`);
  const bytesPerSector = u16(11);
  if (![512, 1024, 2048, 4096].includes(bytesPerSector)) fail('BPB_BytsPerSec', `is ${bytesPerSector}, not 512, 1024, 2048 or 4096`);
  if (bytesPerSector !== deviceSectorSize) fail('BPB_BytsPerSec', `is ${bytesPerSector} but the device's blocks are ${deviceSectorSize} bytes`);
  const sectorsPerCluster = u8(13);
  if (!powerOfTwo(sectorsPerCluster) || sectorsPerCluster > 128) fail('BPB_SecPerClus', `is ${sectorsPerCluster}, not a power of two up to 128`);
  const reservedSectors = u16(14);
  if (reservedSectors === 0) fail('BPB_RsvdSecCnt', 'is 0');
  const numFats = u8(16);
  if (numFats < 1 || numFats > 4) fail('BPB_NumFATs', `is ${numFats}`);
  const rootEntries = u16(17);
  const totalSectors = u16(19) !== 0 ? u16(19) : u32(32);
  if (totalSectors === 0) fail('BPB_TotSec16/BPB_TotSec32', 'are both 0');
  if (totalSectors > deviceSectors) fail('BPB_TotSec', `(${totalSectors}) exceeds the device's ${deviceSectors} sectors`);
  const media = u8(21);
  if (media !== 0xf0 && media < 0xf8) fail('BPB_Media', `is 0x${media.toString(16)}`);
  const fatSize = u16(22) !== 0 ? u16(22) : u32(36);
  if (fatSize === 0) fail('BPB_FATSz16/BPB_FATSz32', 'are both 0');

  const rootDirSectors = Math.ceil((rootEntries * 32) / bytesPerSector);
  const rootDirSector = reservedSectors + numFats * fatSize;
  const firstDataSector = rootDirSector + rootDirSectors;
  if (firstDataSector >= totalSectors) fail('BPB_FATSz', `(${fatSize}) with ${numFats} FATs, ${reservedSectors} reserved and ${rootDirSectors} root directory sectors leaves no data area in ${totalSectors} sectors`);
  const clusterCount = Math.floor((totalSectors - firstDataSector) / sectorsPerCluster);
  if (clusterCount < 1) fail('BPB_SecPerClus', 'leaves no data cluster');
  const fatType: FatType = clusterCount < 4085 ? 12 : clusterCount < 65525 ? 16 : 32;
  const bitsNeeded = (clusterCount + 2) * fatType;
  if (fatSize * bytesPerSector * 8 < bitsNeeded) fail('BPB_FATSz', `(${fatSize} sectors) is too small for ${clusterCount} clusters of FAT${fatType}`);

  let rootCluster = 0;
  let fsInfoSector = 0;
  let mirroring = true;
  let activeFat = 0;
  let labelOffset = 43;
  if (fatType === 32) {
    if (rootEntries !== 0) fail('BPB_RootEntCnt', `is ${rootEntries}, must be 0 on FAT32`);
    if (u16(22) !== 0) fail('BPB_FATSz16', 'must be 0 on FAT32');
    if (u16(42) !== 0) fail('BPB_FSVer', `is ${u16(42).toString(16)}, only version 0.0 is known`);
    rootCluster = u32(44);
    if (rootCluster < 2 || rootCluster > clusterCount + 1) fail('BPB_RootClus', `(${rootCluster}) is outside clusters 2..${clusterCount + 1}`);
    fsInfoSector = u16(48);
    if (fsInfoSector === 0 || fsInfoSector === 0xffff) fsInfoSector = 0;
    else if (fsInfoSector >= reservedSectors) fail('BPB_FSInfo', `(${fsInfoSector}) is outside the ${reservedSectors} reserved sectors`);
    const ext = u16(40);
    mirroring = (ext & 0x80) === 0;
    activeFat = ext & 0x0f;
    if (activeFat >= numFats) fail('BPB_ExtFlags', `names active FAT ${activeFat} of ${numFats}`);
    labelOffset = 71;
  } else {
    if (rootEntries === 0) fail('BPB_RootEntCnt', `is 0 on a FAT${fatType} volume`);
  }
  const bootSig = u8(labelOffset - 5);
  const volumeLabel = bootSig === 0x29 ? String.fromCharCode(...bs.subarray(labelOffset, labelOffset + 11)).trimEnd() : '';
  return {
    fatType, bytesPerSector, sectorsPerCluster, bytesPerCluster: bytesPerSector * sectorsPerCluster,
    reservedSectors, numFats, rootEntries, totalSectors, fatSize, rootDirSector, rootDirSectors,
    firstDataSector, clusterCount, rootCluster, fsInfoSector, mirroring, activeFat, volumeLabel,
  };
}

/** FSInfo signatures (FAT32). */
export const FSINFO_LEAD_SIG = 0x41615252;
export const FSINFO_STRUC_SIG = 0x61417272;
export const FSINFO_TRAIL_SIG = 0xaa550000;
export const FSINFO_UNKNOWN = 0xffffffff;
