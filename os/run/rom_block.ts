import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';
import { testImage } from '../src/test/block/image.js';

/* a generated image (not a multiple of the block size) as ROM module, served by rom_block */
const IMAGE_SIZE = 100_000;

export default scenario({
  description: 'rom_block: a ROM image as read-only Block device; a client reads it through the packet stream, several requests in flight, and checks every byte; writes, trims and out-of-range reads are refused',
  modules: ['rom_block', 'test-rom_block'],
  roms: { 'disk.img': testImage(IMAGE_SIZE) },
  config: `<config>
  ${parentProvides()}
  <start name="rom_block" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config file="disk.img" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="test-rom_block" caps="100">
    <resource name="RAM" quantum="2M"/>
    <config image_size="${IMAGE_SIZE}" request_blocks="8" batch="8"/>
    <route>
      <service name="Block"><child name="rom_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> rom_block\] ROM module "disk.img": 100000 bytes as 196 blocks of 512 bytes, read-only/,
    /\[init -> test-rom_block\] 100352 bytes read \(100000 of the image, the rest zero\) and verified, up to 8 requests in flight/,
    /\[init -> test-rom_block\] write to the read-only device: refused/,
    /\[init -> test-rom_block\] trim of the read-only device: refused/,
    /\[init -> test-rom_block\] read beyond the last block: refused/,
    /\[init -> test-rom_block\] read far beyond the device: refused/,
    /\[init -> test-rom_block\] block 0 unchanged after the refused write; sync served/,
    /\[init -> test-rom_block\] rom_block test done/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|: served \\(unexpected\\)`),
  timeout: '30s',
});
