import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { ahciDrivers } from '../src/test/ahci_drivers.js';

/*
 * Block throughput for npm run bench (tool/bench/block.ts reads the "bench" markers and the
 * "counts" lines): requests of 4 KiB and 64 KiB, 1 and 16 in flight, written and read
 * through a Block session to ram_block and to ahci_drv's emulated SATA disk, next to a
 * memcpy of the same bytes. As a scenario it checks that every run completes.
 */
const DISK_BYTES = 4 * 1024 * 1024;

export default scenario({
  description: 'Block throughput benchmark: 4 KiB and 64 KiB requests at queue depth 1 and 16, reads and writes, on ram_block and on ahci_drv\'s SATA disk, with the client\'s RPC and signal counts per request and a memcpy floor',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'ram_block', 'block_bench'],
  disks: [new Uint8Array(DISK_BYTES)],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${ahciDrivers(`<policy label="block_bench -> ahci" device="0" writeable="yes"/>`)}
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="6M"/>
    <provides><service name="Block"/></provides>
    <config size="${DISK_BYTES}" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="block_bench" caps="200">
    <resource name="RAM" quantum="8M"/>
    <config requests_4k="128" requests_64k="32" warmup="8">
      <device label="ram"/>
      <device label="ahci"/>
    </config>
    <route>
      <service name="Block" label="ram"><child name="ram_block"/></service>
      <service name="Block" label="ahci"><child name="ahci_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> block_bench\] ram: 8192 blocks of 512 bytes, writeable/,
    /\[init -> block_bench\] ahci: 8192 blocks of 512 bytes, writeable/,
    /\[init -> block_bench\] counts blk-ahci-rd-64k-qd16 requests:32 bytes:2097152 packets:32 rpcs:0 /,
    /\[init -> block_bench\] --- block_bench finished ---$/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|block_bench finished --- with errors`),
  timeout: '120s',
});
