import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/* block_tester against a RAM block device: sequential and random patterns, verified */
export default scenario({
  description: 'block_tester against ram_block: sequential and random read/write patterns with several requests in flight, every read of written blocks verified, throughput in the log',
  modules: ['timer', 'ram_block', 'block_tester'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Block"/></provides>
    <config size="1M" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="block_tester" caps="200">
    <resource name="RAM" quantum="4M"/>
    <config io_buffer="1M" verify="yes" stop_on_error="yes">
      <tests>
        <sequential write="yes" length="1M" size="4K" batch="8"/>
        <sequential length="1M" size="4K" batch="1"/>
        <sequential length="1M" size="64K" batch="4"/>
        <random write="yes" read="yes" count="1024" size="4K" seed="42" batch="16"/>
        <random count="512" size="512" seed="7" batch="16"/>
        <sequential write="yes" start="1024" length="512K" size="64K" batch="16"/>
        <sequential start="1024" length="512K" size="4K" batch="16"/>
        <sequential write="yes" length="1M" size="1M" batch="1"/>
        <sequential length="1M" size="1M" batch="2"/>
      </tests>
    </config>
    <route>
      <service name="Block"><child name="ram_block"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> ram_block\] 1048576 bytes \(empty\) as 2048 blocks of 512 bytes, writeable/,
    /\[init -> block_tester\] finished sequential rx:0 tx:2048 bytes:1048576 size:4096 .* result:ok/,
    /\[init -> block_tester\] finished sequential rx:2048 tx:0 bytes:1048576 size:4096 bsize:512 batch:1 .* verified:yes result:ok/,
    /\[init -> block_tester\] finished sequential rx:2048 tx:0 bytes:1048576 size:65536 .* result:ok/,
    /\[init -> block_tester\] finished random rx:\d+ tx:\d+ bytes:4194304 size:4096 .* result:ok/,
    /\[init -> block_tester\] finished random rx:512 tx:0 bytes:262144 size:512 .* result:ok/,
    /* requests of 1 MiB exceed the 1 MiB I/O buffer (the queues take part of it): the connection splits them */
    /\[init -> block_tester\] finished sequential rx:0 tx:2048 bytes:1048576 size:1048576 .* result:ok/,
    /\[init -> block_tester\] finished sequential rx:2048 tx:0 bytes:1048576 size:1048576 bsize:512 batch:2 .* verified:yes result:ok/,
    /\[init -> block_tester\] --- all tests finished --- 9 ok, 0 failed/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|result:failed`),
  timeout: '120s',
});
