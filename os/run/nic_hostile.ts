import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { nicPairConfig } from './nic_loopback.js';

/*
 * nic_drv under attack: while a sender and an echo component exchange frames through two
 * wired e1000 cards, a third client of the same nic_drv submits forged descriptors (outside
 * its buffer, garbage numbers, runt and oversized frames), floods frames to an address no
 * one has, never takes its received frames and finally corrupts its submit queue. nic_drv
 * refuses each with a log line; the sender's frames all come back verified.
 */
export default scenario({
  description: 'nic_hostile: a NIC client forging descriptors, flooding and corrupting its queue leaves nic_drv serving the other client, whose frames cross two wired e1000 cards and come back verified',
  modules: ['timer', 'platform_drv', 'nic_drv', 'test-nic_peer', 'test-nic_hostile'],
  network: { cards: 2, wire: 'loopback' },
  config: nicPairConfig(
    { name: 'sender', config: '<config role="sender" probe_ms="100" frames="400" window="16" seed="9" min_size="60"/>' },
    { name: 'echo', config: '<config role="echo" frames="400"/>' },
    [{ name: 'hostile', binary: 'test-nic_hostile', config: '<config flood="2000"/>' }],
  ),
  succeed: [
    /\[init -> hostile\] 7 forged descriptors submitted/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(dropped\): offset -4096 lies before the bulk buffer/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(dropped\): offset 1000000000000000 lies past the bulk buffer/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(dropped\): 1000000000 bytes at offset \d+ reach past the bulk buffer/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(dropped\): offset NaN is not an integer/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(acknowledged, not sent\): frame of 5 bytes is shorter than an Ethernet header/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": refused tx packet \(dropped\): 4000 bytes at offset \d+ overlap a packet in flight|refused tx packet \(acknowledged, not sent\): frame of 4000 bytes exceeds the Ethernet maximum/,
    /\[init -> hostile\] 2000 flood frames submitted/,
    /\[init -> hostile\] submit queue index corrupted/,
    /\[init -> nic_a\] Warning: "hostile -> hostile": tx stream stalled: submit-queue head 2147483647 is outside the queue/,
    /\[init -> sender\] 400 frames \(\d+ bytes, 60\.\.1514 bytes each\) came back and verified byte for byte/,
    /\[init -> echo\] echoed 400 frames/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
