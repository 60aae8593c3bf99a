import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/* ram_block between a hostile client that writes the packet stream's memory itself and an honest one */
const client = (name: string, binary: string, config = '') => `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="2M"/>${config}
    <route>
      <service name="Block"><child name="ram_block"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'packet stream against a hostile client: forged descriptors, invalid and overlapping requests, garbage queue indices, floods of packets and signals are refused or bounded; the server survives and serves an honest client meanwhile',
  modules: ['timer', 'ram_block', 'test-block_hostile', 'test-block_honest'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config size="256K" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>${client('hostile', 'test-block_hostile')}${client('honest', 'test-block_honest', '\n    <config rounds="128" interval_ms="10"/>')}
</config>`,
  succeed: [
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): offset \d+ lies past the bulk buffer/,
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): offset -4096 lies before the bulk buffer/,
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): size -1 is not a byte count/,
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): offset NaN is not an integer/,
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): \d+ bytes at offset \d+ reach past the bulk buffer/,
    /\[init -> ram_block\] Warning: "hostile": refused request \(tag \d+\): read: blocks \d+\.\.\d+ are beyond the device's 512 blocks/,
    /\[init -> ram_block\] Warning: "hostile": refused request \(tag \d+\): unknown operation 99/,
    /\[init -> ram_block\] Warning: "hostile": refused request \(tag \d+\): read: payload offset \d+ is not aligned to 512 bytes/,
    /\[init -> ram_block\] Warning: "hostile": refused packet \(dropped\): 512 bytes at offset \d+ overlap a packet in flight/,
    /\[init -> ram_block\] Warning: "hostile": stream stalled: submit-queue head 2147483632 is outside the queue of 256 slots/,
    /\[init -> ram_block\] Warning: "hostile": stream stalled: ack-queue tail 3735928559 is outside the queue of 256 slots/,
    /\[init -> ram_block\] Warning: "hostile": 256 refusals so far/,
    /\[init -> hostile\] 64 MiB stream buffer with a 16384-byte donation: InsufficientRamQuota/,
    /\[init -> hostile\] 10 forged descriptors dropped, none acknowledged; the marker behind them came back/,
    /\[init -> hostile\] 8 invalid requests acknowledged with success=false/,
    /\[init -> hostile\] overlapping packet in flight dropped, the other two served/,
    /\[init -> hostile\] garbage submit-queue head: nothing served meanwhile, served again once repaired/,
    /\[init -> hostile\] garbage ack-queue tail: nothing taken meanwhile, served once repaired/,
    /\[init -> hostile\] flood of 255 garbage descriptors and 1000 signals: all dropped, the marker came back/,
    /\[init -> hostile\] flood of 510 requests without taking acknowledgements: the server acknowledged 255 \(a full ack queue\) and waits/,
    /\[init -> hostile\] flood drained: all 510 acknowledged once taken/,
    /\[init -> hostile\] after all attacks the server still serves this session/,
    /\[init -> honest\] 128 rounds of writes and reads, 524288 bytes verified/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
