import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { buildIso, type IsoTree } from '../src/test/rom_files/iso_image.js';
import { ahciIsoServers, clientStart, fileBytes, flatten } from '../src/test/rom_files/stack.js';

/*
 * iso9660 on a real drive: a generated ISO 9660 image (Rock Ridge names) as the medium of
 * the emulated AHCI's ATAPI CD drive, served by ahci_drv (PACKET commands, READ(10) of
 * 2048-byte sectors) to iso9660, whose ROM sessions a client reads and compares byte for
 * byte: files at the top and in subdirectories, larger than the driver's requests, one
 * sector exactly, empty; missing files denied. A SATA disk sits before the CD, so the CD is
 * port 1.
 */
const enc = new TextEncoder();
const tree: IsoTree = {
  'readme.txt': enc.encode('The ahci_iso9660 scenario\'s CD, read through ahci_drv and iso9660.\n'),
  boot: {
    'kernel.bin': fileBytes(21, 200_000),
    config: enc.encode('<config>\n  <default caps="100"/>\n</config>\n'),
  },
  data: {
    'sector.bin': fileBytes(22, 2048),
    'odd.bin': fileBytes(23, 2049),
    empty: new Uint8Array(0),
    nested: { deeper: { 'leaf.dat': fileBytes(24, 70_001) } },
  },
};
const image = buildIso(tree, { volumeId: 'GENODE_TS_CD' });
const files = flatten(tree);
const client = clientStart('test-iso', 'iso9660', files, ['nope', 'boot', 'data/nested/deeper/leaf.dat/x', '../readme.txt']);

export default scenario({
  description: 'iso9660 over ahci_drv: the files of a generated ISO 9660 image on the emulated AHCI CD drive (ATAPI) read through iso9660 ROM sessions and compared byte for byte; missing files denied',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'iso9660', 'test-rom_files'],
  disks: [new Uint8Array(64 * 512)],
  cdrom: image.bytes,
  roms: client.roms,
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}
  ${ahciIsoServers('iso9660', 1, '8M')}
  ${client.start}
</config>`,
  succeed: [
    new RegExp(`\\[init -> ahci_drv\\] port 1: ATAPI "[^"]*" serial "[^"]*": ${image.blocks} blocks of 2048 bytes`),
    /\[init -> iso9660\] volume "GENODE_TS_CD": 7 files in 5 directories, rock ridge names, 2048-byte blocks/,
    /\[init -> test-iso\] "boot\/kernel.bin": 200000 bytes, identical/,
    /\[init -> test-iso\] "data\/nested\/deeper\/leaf.dat": 70001 bytes, identical/,
    /\[init -> test-iso\] "boot": denied, as expected/,
    /\[init -> test-iso\] all 7 files identical \(\d+ bytes\), 4 missing files denied/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
