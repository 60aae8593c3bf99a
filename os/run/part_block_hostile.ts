import { ERROR_LINE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';
import { mbrImage } from '../src/test/part_block/image.js';

/*
 * part_block's partition sessions against the hostile packet-stream client (the attacks of
 * packet_stream_hostile: forged descriptors, invalid and overlapping requests, garbage
 * queue indices, floods of packets and signals), while an honest client works on another
 * partition of the same disk. part_block serves its partitions asynchronously (each
 * request goes on through its own back-end session), so this checks that path as well.
 */
const image = mbrImage({
  sectors: 2048,
  primaries: [
    { number: 1, start: 64, length: 512, seed: 1 },
    { number: 2, start: 1024, length: 512, seed: 2 },
  ],
});

const client = (name: string, binary: string, config = '') => `
  <start name="${name}" caps="100">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="2M"/>${config}
    <route>
      <service name="Block"><child name="part_block"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'part_block against a hostile client of one partition: forged descriptors, invalid and overlapping requests, garbage queue indices, floods are refused or bounded; an honest client of another partition is served meanwhile',
  modules: ['timer', 'ram_block', 'part_block', 'test-block_hostile', 'test-block_honest'],
  roms: { 'disk.img': image },
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="3M"/>
    <provides><service name="Block"/></provides>
    <config file="disk.img" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="part_block" caps="200">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Block"/></provides>
    <config>
      <policy label_prefix="hostile" partition="1" writeable="yes"/>
      <policy label="honest" partition="2" writeable="yes"/>
    </config>
    <route>
      <service name="Block"><child name="ram_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>${client('hostile', 'test-block_hostile')}${client('honest', 'test-block_honest', '\n    <config rounds="128" interval_ms="10"/>')}
</config>`,
  succeed: [
    /\[init -> part_block\] Warning: "hostile": refused packet \(dropped\): offset \d+ lies past the bulk buffer/,
    /\[init -> part_block\] Warning: "hostile": refused packet \(dropped\): size -1 is not a byte count/,
    /\[init -> part_block\] Warning: "hostile": refused request \(tag \d+\): read: blocks \d+\.\.\d+ are beyond the device's 512 blocks/,
    /\[init -> part_block\] Warning: "hostile": refused packet \(dropped\): 512 bytes at offset \d+ overlap a packet in flight/,
    /\[init -> part_block\] Warning: "hostile": stream stalled: submit-queue head 2147483632 is outside the queue of 256 slots/,
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
