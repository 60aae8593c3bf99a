import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { ahciDrivers } from '../src/test/ahci_drivers.js';

/* block_tester against ahci_drv's disk: the same patterns as against ram_block, through NCQ */
export default scenario({
  description: 'block_tester against ahci_drv: sequential and random read/write patterns on the emulated SATA disk with several requests in flight (NCQ), every read of written blocks verified, throughput in the log',
  modules: ['timer', 'platform_drv', 'ahci_drv', 'block_tester'],
  disks: [new Uint8Array(4096 * 512)],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IO_MEM', 'IRQ'])}${timerDriver()}${ahciDrivers(`<policy label_prefix="block_tester" device="0" writeable="yes"/>`)}
  <start name="block_tester" caps="200">
    <resource name="RAM" quantum="4M"/>
    <config io_buffer="1M" verify="yes" stop_on_error="yes">
      <tests>
        <sequential write="yes" length="1M" size="4K" batch="8"/>
        <sequential length="1M" size="4K" batch="1"/>
        <sequential length="1M" size="64K" batch="4"/>
        <random write="yes" read="yes" count="1024" size="4K" seed="42" batch="16"/>
        <random count="512" size="512" seed="7" batch="16"/>
        <sequential write="yes" start="1024" length="512K" size="128K" batch="4"/>
        <sequential start="1024" length="512K" size="4K" batch="16"/>
      </tests>
    </config>
    <route>
      <service name="Block"><child name="ahci_drv"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> ahci_drv\] port 0: ATA "genode-ts AHCI disk" serial "[^"]*": 4096 blocks of 512 bytes, NCQ depth 16, TRIM/,
    /\[init -> block_tester\] finished sequential rx:0 tx:2048 bytes:1048576 size:4096 .* result:ok/,
    /\[init -> block_tester\] finished sequential rx:2048 tx:0 bytes:1048576 size:4096 bsize:512 batch:1 .* verified:yes result:ok/,
    /\[init -> block_tester\] finished sequential rx:2048 tx:0 bytes:1048576 size:65536 .* result:ok/,
    /\[init -> block_tester\] finished random rx:\d+ tx:\d+ bytes:4194304 size:4096 .* result:ok/,
    /\[init -> block_tester\] finished random rx:512 tx:0 bytes:262144 size:512 .* result:ok/,
    /\[init -> block_tester\] --- all tests finished --- 7 ok, 0 failed/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|result:failed`),
  timeout: '120s',
});
