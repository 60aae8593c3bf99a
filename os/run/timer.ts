import { ERROR_LINE, TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/* the driver gets the PIT's ports and IRQ 0 from core; its clients get only the Timer */
const client = (name: string, binary: string, config = '') => `
  <start name="${name}" caps="60">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="1M"/>${config}${TIMER_ROUTE}
  </start>`;

export default scenario({
  description: 'PIT timer driver: several clients, one-shot timeouts in deadline order, periodic timeouts, a 10 s sleep',
  modules: ['timer', 'test-timer', 'test-timer_sleeper'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${client('test-timer', 'test-timer')}${
  client('sleeper_fast', 'test-timer_sleeper', '\n    <config period_ms="30" count="20"/>')}${
  client('sleeper_10s', 'test-timer_sleeper', '\n    <config period_ms="1000" count="10"/>')}
</config>`,
  succeed: [
    /\[init -> sleeper_fast\] 20 x 30 ms slept: timer says \d+ ms \(ok\)/,
    /\[init -> test-timer\] --- timer test finished ---/,
    /\[init -> sleeper_10s\] t=5\d\d\d ms after 5 x 1000 ms/,
    /\[init -> sleeper_10s\] 10 x 1000 ms slept: timer says \d+ ms \(ok\)/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
