import { scenario, parentProvides } from '../../base/src/scenario.js';
import { buildTar, setChecksum } from '../src/test/rom_files/tar_image.js';
import { clientStart, fileBytes, tarServer } from '../src/test/rom_files/stack.js';

/*
 * A generated tar archive (ustar headers, a name over 100 bytes in the prefix field, a
 * GNU long-name entry, directories, a symbolic link, an empty file) served by tar_rom;
 * a client reads the files, compares them byte for byte and is denied missing ones,
 * directories and links. A second archive with a corrupt header after two good files,
 * and a third whose last entry claims more bytes than it has: the errors are named and
 * the files before them served.
 */
const enc = new TextEncoder();
const longDir = 'a-directory-with-a-rather-long-name/and-another-one-below-it/and-a-third-level-dir';
const files = [
  { path: 'config', data: enc.encode('<config><archive name="archive.tar"/></config>\n') },
  { path: 'bin/big.bin', data: fileBytes(4, 3000) },
  { path: 'bin/sub/deep.bin', data: fileBytes(5, 512) },
  { path: `${longDir}/a-longer-file-name.txt`, data: fileBytes(6, 700) },
  { path: `gnu/${'x'.repeat(98)}.txt`, data: fileBytes(7, 100) },
  { path: 'empty', data: new Uint8Array(0) },
];
const archive = buildTar([
  { type: 'file', name: './config', data: files[0]!.data },
  { type: 'dir', name: 'bin' },
  { type: 'file', name: 'bin/big.bin', data: files[1]!.data },
  { type: 'dir', name: 'bin/sub' },
  { type: 'file', name: 'bin/sub/deep.bin', data: files[2]!.data },
  { type: 'symlink', name: 'bin/link', target: 'big.bin' },
  { type: 'file', name: files[3]!.path, data: files[3]!.data, longName: 'prefix' },
  { type: 'file', name: files[4]!.path, data: files[4]!.data, longName: 'gnu' },
  { type: 'file', name: 'empty', data: files[5]!.data },
]);

/* the third header (bin/sub/deep.bin's, after config and big.bin) with a byte changed */
const corrupt = buildTar([
  { type: 'file', name: 'config', data: files[0]!.data },
  { type: 'file', name: 'bin/big.bin', data: files[1]!.data },
  { type: 'file', name: 'bin/sub/deep.bin', data: files[2]!.data },
]);
corrupt[4608 + 101] ^= 0x20; // in its mode field
/* the last entry's size beyond the archive (checksum fixed, so only the size is wrong) */
const truncated = buildTar([
  { type: 'file', name: 'config', data: files[0]!.data },
  { type: 'file', name: 'bin/big.bin', data: files[1]!.data },
], { endBlocks: 0 });
const bigHeader = truncated.subarray(1024, 1536);
bigHeader.set(enc.encode('00000100000\0'), 124);
setChecksum(bigHeader);

const labelled = files.map((f) => (f.path === 'config' ? { ...f, label: '/config' } : f.path === 'bin/big.bin' ? { ...f, scribble: true } : f));
const main = clientStart('test-tar', 'tar_rom', labelled, ['nope', 'bin', 'bin/sub', 'bin/link', `${longDir}/missing`]);
const corruptClient = clientStart('test-tar_corrupt', 'tar_rom_corrupt', files.slice(0, 2), ['bin/sub/deep.bin']);
const truncatedClient = clientStart('test-tar_truncated', 'tar_rom_truncated', files.slice(0, 1), ['bin/big.bin']);

export default scenario({
  description: 'tar_rom: files of a generated tar archive (ustar prefix, GNU long name, nested directories, an empty file) read through ROM sessions and compared byte for byte; missing files, directories and links denied; a corrupt header and a size past the end named as errors while the files before them are served',
  modules: ['tar_rom', 'test-rom_files'],
  roms: { 'archive.tar': archive, 'corrupt.tar': corrupt, 'truncated.tar': truncated, ...main.roms, ...corruptClient.roms, ...truncatedClient.roms },
  config: `<config>
  ${parentProvides()}
  ${tarServer('tar_rom', 'archive.tar')}
  ${main.start}
  ${tarServer('tar_rom_corrupt', 'corrupt.tar')}
  ${corruptClient.start}
  ${tarServer('tar_rom_truncated', 'truncated.tar')}
  ${truncatedClient.start}
</config>`,
  succeed: [
    /\[init -> tar_rom\] using tar archive 'archive.tar' with size \d+: 6 files, 3 other entries skipped/,
    /\[init -> test-tar\] "\/config": \d+ bytes, identical/,
    /\[init -> test-tar\] "bin\/big.bin": overwrote the 3000 bytes of one session's dataspace/,
    /\[init -> test-tar\] "bin\/big.bin": 3000 bytes, identical/,
    /\[init -> test-tar\] "a-directory-with-a-rather-long-name\/.*\/a-longer-file-name.txt": 700 bytes, identical/,
    /\[init -> test-tar\] "gnu\/x{98}.txt": 100 bytes, identical/,
    /\[init -> test-tar\] "bin\/link": denied, as expected/,
    /\[init -> test-tar\] all 6 files identical \(\d+ bytes\), 5 missing files denied/,
    /\[init -> tar_rom_corrupt\] Error: archive "corrupt.tar": header at byte 4608 \("bin\/sub\/deep.bin"\): checksum \d+ does not match \d+: corrupt header/,
    /\[init -> test-tar_corrupt\] all 2 files identical \(\d+ bytes\), 1 missing files denied/,
    /\[init -> tar_rom_truncated\] Error: archive "truncated.tar": entry "bin\/big.bin" at byte 1024: size 32768 reaches past the end of the archive/,
    /\[init -> test-tar_truncated\] all 1 files identical \(\d+ bytes\), 1 missing files denied/,
  ],
  fail: /\[init(?: -> (?!tar_rom_corrupt\]|tar_rom_truncated\])[^\]]*)?\] Error: /,
  timeout: '30s',
});
