import { ERROR_LINE, parentProvides, scenario } from '../../base/src/scenario.js';
import { formatFat } from '../src/lib/vfs/plugin/fat/format.js';
import { mbrImage } from '../src/test/part_block/image.js';

/*
 * A FAT file system on an AHCI disk: ahci_drv serves the disk, part_block its MBR's FAT16
 * partition, the vfs server runs <fat/> on that partition and exports it as a File_system
 * session, and test-fs_fat (through the `fs` plugin of its own VFS) creates, writes, reads
 * back, overwrites, truncates, renames within and across directories, deletes and builds
 * a directory tree. It also counts its runs in /persist: with `tool/run --disk FILE fs_fat`
 * the next run finds the files of the previous one (test/run/fs_fat_disk.test.ts).
 */

export const FS_FAT_DISK_SECTORS = 16384;
export const FS_FAT_PART_START = 64;

/** An 8 MiB disk: an MBR with partition 1 (type 0x0e, FAT16 LBA) formatted by our formatter. */
export function fsFatDisk(): Uint8Array {
  const length = FS_FAT_DISK_SECTORS - FS_FAT_PART_START;
  const img = mbrImage({ sectors: FS_FAT_DISK_SECTORS, primaries: [{ number: 1, start: FS_FAT_PART_START, length, seed: 1, type: 0x0e }] });
  img.set(formatFat(length, { fatType: 16, label: 'GENODE', hiddenSectors: FS_FAT_PART_START }), FS_FAT_PART_START * 512);
  return img;
}

export default scenario({
  description: 'FAT on an AHCI disk through part_block and the vfs server: create, write, read back, overwrite, truncate, rename (within and across directories), delete, a directory tree; files persist across runs with --disk',
  modules: ['platform_drv', 'ahci_drv', 'part_block', 'vfs', 'test-fs_fat'],
  disks: [fsFatDisk()],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}
  <start name="platform_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Platform"/></provides>
    <config>
      <policy label="ahci_drv -> ahci"> <pci class="AHCI"/> </policy>
    </config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="ahci_drv" caps="200">
    <resource name="RAM" quantum="6M"/>
    <provides><service name="Block"/></provides>
    <config>
      <policy label_prefix="part_block" device="0" writeable="yes"/>
    </config>
    <route>
      <service name="Platform"><child name="platform_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="part_block" caps="200">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Block"/></provides>
    <config io_buffer="1M">
      <policy label="vfs -> fat" partition="1" writeable="yes"/>
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
      <vfs> <fat label="fat" buffer_size="256K" cache_size="512K" writeable="yes"/> </vfs>
      <policy label="test-fs_fat -> fat" root="/" writeable="yes"/>
    </config>
    <route>
      <service name="Block"><child name="part_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-fs_fat" caps="100">
    <resource name="RAM" quantum="4M"/>
    <config>
      <vfs> <dir name="fat"> <fs label="fat" buffer_size="128K" storage="1M"/> </dir> </vfs>
    </config>
    <route>
      <service name="File_system"><child name="vfs"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> part_block\] MBR Partition 1: LBA 64 \(16320 blocks\) type: 0e$/,
    /\[init -> vfs\] fat: FAT16 on Block session "fat": \d+ clusters of 512 bytes, \d+ bytes free$/,
    /\[init -> test-fs_fat\] persist: (no previous run|run \d+ left its files, read back and verified)$/,
    /\[init -> test-fs_fat\] persist: this is run \d+$/,
    /\[init -> test-fs_fat\] created and read back 4 files \(0 to 70000 bytes\)$/,
    /\[init -> test-fs_fat\] overwrite and truncate ok$/,
    /\[init -> test-fs_fat\] directory tree: 4 directories, 21 files, listed and read back$/,
    /\[init -> test-fs_fat\] rename within and across directories, of a directory and onto a file ok$/,
    /\[init -> test-fs_fat\] refused: create of an existing file, rmdir of a non-empty directory, open of a missing file, a bad name$/,
    /\[init -> test-fs_fat\] delete of files and an empty directory ok$/,
    /\[init -> test-fs_fat\] test-fs_fat done$/,
    /child "test-fs_fat" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
