import { ERROR_LINE, parentProvides, scenario, timerDriver } from '../../base/src/scenario.js';
import { encodeShortEntry } from '../src/lib/vfs/plugin/fat/directory_entry.js';
import { formatFat } from '../src/lib/vfs/plugin/fat/format.js';
import { packShort } from '../src/lib/vfs/plugin/fat/names.js';
import { mbrImage } from '../src/test/part_block/image.js';
import { ahciDrivers } from '../src/test/ahci_drivers.js';

/*
 * A FAT file system on an AHCI disk: ahci_drv serves the disk, part_block its MBR's FAT16
 * partition, the vfs server runs <fat/> on that partition and exports it as a File_system
 * session, and test-fs_fat (through the `fs` plugin of its own VFS) creates, writes, reads
 * back, overwrites, truncates, renames within and across directories, deletes and builds
 * a directory tree. Partition 2 holds a FAT12 volume with a damaged FAT: reading its files
 * with a looping chain or a cluster past the end is refused with IO, the rest of it stays
 * usable. test-fs_fat also counts its runs in /persist: with `tool/run --disk FILE fs_fat`
 * the next run finds the files of the previous one (test/run/fs_fat_disk.test.ts).
 */

export const FS_FAT_DISK_SECTORS = 16384;
export const FS_FAT_PART_START = 64;
export const FS_FAT_PART_LENGTH = 13440;
/** Partition 2: a small FAT12 volume with a damaged FAT. */
const BAD_START = FS_FAT_PART_START + FS_FAT_PART_LENGTH;
const BAD_LENGTH = FS_FAT_DISK_SECTORS - BAD_START;

/**
 * A FAT12 volume (spc 1) whose root holds LOOP.BIN (its chain 2 -> 3 -> 2 loops),
 * FAR.BIN (it starts at cluster 0xff0, past the volume's end) and OK.TXT (intact).
 */
export function corruptFat12(sectors: number): Uint8Array {
  const img = formatFat(sectors, { fatType: 12, sectorsPerCluster: 1, label: 'DAMAGED' });
  const fatSize = img[22] | (img[23] << 8);
  const setFat = (c: number, v: number) => {
    for (let copy = 0; copy < 2; copy++) {
      const o = (1 + copy * fatSize) * 512 + c + (c >> 1);
      const cur = img[o] | (img[o + 1] << 8);
      const next = c & 1 ? (cur & 0x000f) | (v << 4) : (cur & 0xf000) | v;
      img[o] = next & 0xff;
      img[o + 1] = next >> 8;
    }
  };
  setFat(2, 3);
  setFat(3, 2);
  setFat(5, 0xfff);
  const dataStart = 1 + 2 * fatSize + 14; // 224 root entries = 14 sectors
  const root = (1 + 2 * fatSize) * 512;
  const text = new TextEncoder().encode('intact file\n');
  img.set(encodeShortEntry({ shortRaw: packShort('LOOP', 'BIN'), attr: 0x20, ntres: 0, firstCluster: 2, size: 2048 }), root + 32);
  img.set(encodeShortEntry({ shortRaw: packShort('FAR', 'BIN'), attr: 0x20, ntres: 0, firstCluster: 0xff0, size: 100 }), root + 64);
  img.set(encodeShortEntry({ shortRaw: packShort('OK', 'TXT'), attr: 0x20, ntres: 0, firstCluster: 5, size: text.length }), root + 96);
  img.set(text, (dataStart + 3) * 512);
  return img;
}

/**
 * An 8 MiB disk: an MBR with partition 1 (type 0x0e, FAT16 LBA, formatted by our
 * formatter) and partition 2 (type 0x01, FAT12 with a damaged FAT).
 */
export function fsFatDisk(): Uint8Array {
  const img = mbrImage({
    sectors: FS_FAT_DISK_SECTORS,
    primaries: [
      { number: 1, start: FS_FAT_PART_START, length: FS_FAT_PART_LENGTH, seed: 1, type: 0x0e },
      { number: 2, start: BAD_START, length: BAD_LENGTH, seed: 2, type: 0x01 },
    ],
  });
  img.set(formatFat(FS_FAT_PART_LENGTH, { fatType: 16, label: 'GENODE', hiddenSectors: FS_FAT_PART_START }), FS_FAT_PART_START * 512);
  img.set(corruptFat12(BAD_LENGTH), BAD_START * 512);
  return img;
}

export default scenario({
  description: 'FAT on an AHCI disk through part_block and the vfs server: create, write, read back, overwrite, truncate, rename (within and across directories), delete, a directory tree; files persist across runs with --disk',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'part_block', 'vfs', 'test-fs_fat'],
  disks: [fsFatDisk()],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${ahciDrivers(`<policy label_prefix="part_block" device="0" writeable="yes"/>`)}
  <start name="part_block" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Block"/></provides>
    <config io_buffer="1M">
      <policy label="vfs -> fat" partition="1" writeable="yes"/>
      <policy label="vfs -> damaged" partition="2" writeable="yes"/>
    </config>
    <route>
      <service name="Block"><child name="ahci_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="vfs" caps="200">
    <resource name="RAM" quantum="8M"/>
    <provides><service name="File_system"/></provides>
    <config>
      <vfs>
        <dir name="good"> <fat label="fat" buffer_size="256K" cache_size="512K" writeable="yes"/> </dir>
        <dir name="damaged"> <fat label="damaged" buffer_size="64K" writeable="yes"/> </dir>
      </vfs>
      <policy label="test-fs_fat -> fat" root="/good" writeable="yes"/>
      <policy label="test-fs_fat -> damaged" root="/damaged" writeable="yes"/>
    </config>
    <route>
      <service name="Block"><child name="part_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-fs_fat" caps="100">
    <resource name="RAM" quantum="4M"/>
    <config>
      <vfs>
        <dir name="fat"> <fs label="fat" buffer_size="128K" storage="1M"/> </dir>
        <dir name="damaged"> <fs label="damaged" buffer_size="64K"/> </dir>
      </vfs>
    </config>
    <route>
      <service name="File_system"><child name="vfs"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> part_block\] MBR Partition 1: LBA 64 \(13440 blocks\) type: 0e$/,
    /\[init -> part_block\] MBR Partition 2: LBA 13504 \(2880 blocks\) type: 01$/,
    /\[init -> vfs\] fat: FAT16 on Block session "fat": \d+ clusters of 512 bytes, \d+ bytes free$/,
    /\[init -> test-fs_fat\] persist: (no previous run|run \d+ left its files, read back and verified)$/,
    /\[init -> test-fs_fat\] persist: this is run \d+$/,
    /\[init -> test-fs_fat\] created and read back 4 files \(0 to 70000 bytes\)$/,
    /\[init -> test-fs_fat\] overwrite and truncate ok$/,
    /\[init -> test-fs_fat\] directory tree: 4 directories, 21 files, listed and read back$/,
    /\[init -> test-fs_fat\] rename within and across directories, of a directory and onto a file ok$/,
    /\[init -> test-fs_fat\] refused: create of an existing file, rmdir of a non-empty directory, open of a missing file, a bad name$/,
    /\[init -> test-fs_fat\] delete of files and an empty directory ok$/,
    /\[init -> vfs\] fat: FAT12 on Block session "damaged": \d+ clusters of 512 bytes, \d+ bytes free$/,
    /\[init -> test-fs_fat\] damaged: LOOP\.BIN \(a loop in its chain\) refused: IO$/,
    /\[init -> test-fs_fat\] damaged: FAR\.BIN \(a cluster past the end\) refused: IO$/,
    /\[init -> test-fs_fat\] damaged: OK\.TXT reads back, a new file writes, reads back and is deleted$/,
    /\[init -> test-fs_fat\] test-fs_fat done$/,
    /child "test-fs_fat" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
