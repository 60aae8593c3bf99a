import { ERROR_LINE, scenario } from '../../base/src/scenario.js';
import { nicPairConfig } from './nic_loopback.js';

/*
 * Link state through the whole stack: after 100 frames the cable between the two e1000 cards
 * is pulled (both drivers and the sender see the link go down, a send is dropped) and
 * plugged in again; 20 more frames cross.
 */
export default scenario({
  description: 'nic_link: pulling and plugging the cable between two e1000 cards: link down and up seen by both nic_drv instances and the client, sends while down dropped, traffic resumes',
  modules: ['timer', 'platform_drv', 'nic_drv', 'test-nic_peer'],
  network: { cards: 2, wire: 'loopback' },
  input: [
    { after: /\[init -> sender\] waiting for the link to go down/, cable: 'unplug' },
    { after: /\[init -> sender\] link down/, cable: 'plug' },
  ],
  config: nicPairConfig(
    { name: 'sender', config: '<config role="sender" probe_ms="100" frames="100" window="16" seed="4" min_size="60" after_cable="20"/>' },
    { name: 'echo', config: '<config role="echo" frames="120"/>' },
  ),
  succeed: [
    /\[init -> sender\] 100 frames \(\d+ bytes, 60\.\.1514 bytes each\) came back and verified byte for byte/,
    /\[init -> nic_a\] link down/,
    /\[init -> nic_b\] link down/,
    /\[init -> sender\] link down; a send now is dropped/,
    /\[init -> nic_a\] link up/,
    /\[init -> sender\] link up again/,
    /\[init -> sender\] 20 more frames came back after the link returned/,
    /\[init -> echo\] echoed 120 frames/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
