import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/* BlockConnection splits jobs larger than its bulk buffer into pieces (os/src/test/block/split.ts) */
export default scenario({
  description: 'BlockConnection: reads and writes larger than the bulk buffer go as several packets, the hooks see each piece at its offset, the data comes back identical; a producer withdrawing mid-job fails it with only the first piece written',
  modules: ['ram_block', 'test-block_split'],
  config: `<config>
  ${parentProvides()}
  <start name="ram_block" caps="100">
    <resource name="RAM" quantum="4M"/>
    <provides><service name="Block"/></provides>
    <config size="1M" block_size="512"/>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="test-block_split" caps="100">
    <resource name="RAM" quantum="2M"/>
    <route>
      <service name="Block"><child name="ram_block"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> test-block_split\] write and read of 3 bulk buffers and 5 blocks: 4 and 4 packets, identical/,
    /\[init -> test-block_split\] read job: served, pieces as expected/,
    /\[init -> test-block_split\] withdrawn split write: failed, first piece written, the rest untouched/,
    /\[init -> test-block_split\] --- block split test finished ---/,
  ],
  fail: new RegExp(`${ERROR_LINE.source}|unexpected`),
  timeout: '30s',
});
