import { scenario, parentProvides } from '../../base/src/scenario.js';
import { buildIso, setExtent, type IsoTree } from '../src/test/rom_files/iso_image.js';
import { clientStart, fileBytes, flatten, isoServers } from '../src/test/rom_files/stack.js';

/*
 * A generated ISO 9660 image with Rock Ridge names (2048-byte sectors: system area, PVD,
 * terminator, path tables, directories, files) served by rom_block -> iso9660 -> a client
 * that reads files at the top, in subdirectories, larger than a sector and empty, compares
 * them byte for byte and is denied missing ones. A second copy of the image with a loop,
 * an extent past the image and a size past the image, and a third without a valid volume
 * descriptor, each on its own iso9660: the errors are named, the rest is still served.
 */
const enc = new TextEncoder();
const tree: IsoTree = {
  README: enc.encode('The iso9660 scenario\'s image, written byte by byte by os/src/test/rom_files/iso_image.ts.\n'),
  boot: {
    config: enc.encode('<config>\n  <default caps="100"/>\n</config>\n'),
    'big.bin': fileBytes(1, 5000),
  },
  data: {
    nested: { 'deep.txt': fileBytes(2, 1000) },
    empty: new Uint8Array(0),
    'sector.bin': fileBytes(3, 2048),
  },
};
const good = buildIso(tree, { volumeId: 'GENODE_TS' });

const hostile = buildIso(tree, { volumeId: 'HOSTILE' });
setExtent(hostile.bytes, hostile.records.get('data/nested')!, 20);                    // the root's block: a loop
setExtent(hostile.bytes, hostile.records.get('data/sector.bin')!, hostile.blocks + 5);  // past the image
setExtent(hostile.bytes, hostile.records.get('boot/big.bin')!, hostile.blocks - 1, 1 << 30); // size past the image

const bad = buildIso(tree, { volumeId: 'BAD' });
bad.bytes.set(enc.encode('CDXYZ'), 16 * 2048 + 1);

const files = flatten(tree).map((f) => (f.path === 'README' ? { ...f, label: '/README' } : f.path === 'boot/big.bin' ? { ...f, scribble: true } : f));
const main = clientStart('test-iso', 'iso9660', files, ['nope', 'boot/missing.txt', 'boot', '../README', 'data/nested/deep.txt/x']);
const hostileClient = clientStart('test-iso_hostile', 'iso9660_hostile', files.filter((f) => ['README', 'boot/config', 'data/empty'].includes(f.path)),
  ['data/nested/deep.txt', 'data/sector.bin', 'boot/big.bin']);
const badClient = clientStart('test-iso_bad', 'iso9660_bad', [], ['README']);

export default scenario({
  description: 'iso9660: files of a generated ISO 9660 image (Rock Ridge names, subdirectories, a file over one sector, an empty one) read through rom_block -> iso9660 ROM sessions and compared byte for byte; missing files denied; a loop, extents past the image and a bad volume descriptor named as errors while the rest is served',
  modules: ['rom_block', 'iso9660', 'test-rom_files'],
  roms: { 'cd.iso': good.bytes, 'hostile.iso': hostile.bytes, 'bad.iso': bad.bytes, ...main.roms, ...hostileClient.roms, ...badClient.roms },
  config: `<config>
  ${parentProvides()}
  ${isoServers('iso9660', 'cd.iso')}
  ${main.start}
  ${isoServers('iso9660_hostile', 'hostile.iso')}
  ${hostileClient.start}
  ${isoServers('iso9660_bad', 'bad.iso')}
  ${badClient.start}
</config>`,
  succeed: [
    /\[init -> iso9660\] volume "GENODE_TS": 6 files in 4 directories, rock ridge names, 2048-byte blocks/,
    /\[init -> test-iso\] "\/README": \d+ bytes, identical/,
    /\[init -> test-iso\] "boot\/big.bin": overwrote the 5000 bytes of one session's dataspace/,
    /\[init -> test-iso\] "boot\/big.bin": 5000 bytes, identical/,
    /\[init -> test-iso\] "data\/nested\/deep.txt": 1000 bytes, identical/,
    /\[init -> test-iso\] "boot": denied, as expected/,
    /\[init -> test-iso\] all 6 files identical \(\d+ bytes\), 5 missing files denied/,
    /\[init -> iso9660_hostile\] Error: directory "\/data\/nested" points to block 20, already visited as "\/": loop, skipped/,
    /\[init -> iso9660_hostile\] Error: file "\/data\/sector.bin": extent at block \d+ with 2048 bytes lies past the end of the image/,
    /\[init -> iso9660_hostile\] Error: file "\/boot\/big.bin": extent at block \d+ with 1073741824 bytes lies past the end of the image/,
    /\[init -> test-iso_hostile\] all 3 files identical \(\d+ bytes\), 3 missing files denied/,
    /\[init -> iso9660_bad\] Error: not a usable ISO 9660 volume: sector 16: volume descriptor identifier "CDXYZ" is not "CD001"/,
    /\[init -> test-iso_bad\] all 0 files identical \(0 bytes\), 1 missing files denied/,
  ],
  /* the broken images' servers report errors on purpose */
  fail: /\[init(?: -> (?!iso9660_hostile\]|iso9660_bad\])[^\]]*)?\] Error: /,
  timeout: '30s',
});
