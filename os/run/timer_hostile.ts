import { ERROR_LINE, TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * The timer with a hostile client (os/src/test/timer/hostile.ts) beside two honest
 * sleepers: durations the interface cannot mean, the longest ones, a storm of zero
 * timeouts, a 1 us period, invalid and forged signal handlers, sessions until the quota
 * runs out. The sleepers' timing checks still pass, on every kernel's timer.
 */
const start = (name: string, binary: string, caps: number, config: string) => `
  <start name="${name}" caps="${caps}">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="1M"/>
    ${config}${TIMER_ROUTE}
  </start>`;

export default scenario({
  description: 'timer_hostile: a Timer client sends impossible and extreme durations, floods timeouts and sessions, forges its signal handler; the honest sleepers keep their timing',
  modules: ['timer', 'test-timer_hostile', 'test-timer_sleeper'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${
  start('hostile', 'test-timer_hostile', 100, '<config/>')}${
  start('sleeper_fast', 'test-timer_sleeper', 60, '<config period_ms="30" count="40"/>')}${
  start('sleeper_slow', 'test-timer_sleeper', 60, '<config period_ms="500" count="5"/>')}
</config>`,
  succeed: [
    /\[init -> hostile\] duration -1 refused: BadArgument/,
    /\[init -> hostile\] duration 2\^63 - 1 refused: BadArgument/,
    /\[init -> hostile\] 2\^53 - 1 us once and periodic: 0 signals in a second/,
    /\[init -> hostile\] \d+ sessions, then refused: \w+/,
    /\[init -> hostile\] hostile timer client done/,
    /\[init -> sleeper_fast\] 40 x 30 ms slept: timer says \d+ ms \(ok\)/,
    /\[init -> sleeper_slow\] 5 x 500 ms slept: timer says \d+ ms \(ok\)/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
