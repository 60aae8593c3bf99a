import { TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * Children started with too little quota to live: caps="0", "1" and "5", RAM 0 and 4 KiB.
 * init warns about a quota of zero (as Genode's init does) and starts each all the same;
 * each fails alone, with an error that names the quota it lacked and what it was for, and
 * init reports its exit. A logger keeps going throughout. One child that has just enough
 * RAM (64 KiB) exits normally.
 */
const child = (name: string, caps: number, ram: string, config: string, timer = false) => `
  <start name="${name}" caps="${caps}">
    <binary name="test-exit"/>
    <resource name="RAM" quantum="${ram}"/>
    <config ${config}/>${timer ? TIMER_ROUTE : `
    <route><any-service><parent/></any-service></route>`}
  </start>`;

const starved = (name: string, caps: number, ram: string) => child(name, caps, ram, 'action="exit" value="3"');

export default scenario({
  description: 'children with too little quota (caps 0, 1, 5; RAM 0, 4K) fail alone, naming the quota; a logger keeps going',
  modules: ['timer', 'test-exit'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${child('logger', 60, '1M', 'action="tick" count="10"', true)}${
  starved('caps0', 0, '1M')}${starved('caps1', 1, '1M')}${starved('caps5', 5, '1M')}${
  starved('ram0', 60, '0')}${starved('ram4k', 60, '4K')}${starved('ram64k', 60, '64K')}
</config>`,
  succeed: [
    /\[init\] Warning: start "caps0" \(config of init, line \d+, column \d+\): no valid cap quota defined/,
    /\[init\] Warning: start "ram0" \(config of init, line \d+, column \d+\): no valid RAM quota defined/,
    /\[init -> caps0\] Error: .*OutOfCaps: PD "init -> caps0": needs 1 caps, 0 left of 0/,
    /child "caps0" exited with exit value -1/,
    /\[init -> caps1\] Error: .*OutOfCaps: PD "init -> caps1": needs 1 caps, 0 left of 1/,
    /child "caps1" exited with exit value -1/,
    /\[init -> caps5\] Error: .*OutOfCaps: "caps5" cannot pay ram_quota=\d+, cap_quota=\d+ for its LOG session "caps5": /,
    /child "caps5" exited with exit value -1/,
    /\[init -> ram0\] Error: .*OutOfRam: ram0: cannot pay 4096 bytes for "ROM" session request/,
    /child "ram0" exited with exit value -1/,
    /\[init -> ram4k\] Error: .*OutOfRam: PD "init -> ram4k" cannot transfer \d+ bytes/,
    /child "ram4k" exited with exit value -1/,
    /child "ram64k" exited with exit value 3/,
    /\[init -> logger\] still alive 10/,
    /child "logger" exited with exit value 0/,
  ],
  fail: /\[init -> logger\] Error: |\[init\] Error: |\[core\] Error: /,
  timeout: '60s',
});
