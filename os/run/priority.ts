import { ERROR_LINE, TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * Two tickers keep a 10 ms period while a spinner computes in 20 ms bursts. The "high"
 * ticker (and the timer driver) have a higher priority than the spinner: the kernel
 * preempts the spinner when their timeouts come, and their lateness stays small. The
 * "equal" ticker has the spinner's priority: it waits for the spinner's quantum to end
 * (round robin), so its lateness follows the kernel's time slice. On the emulated kernels
 * the figures are virtual time and the same on every run (test/run/priority.test.ts holds
 * them to their bounds); on linux they are the host's scheduling and only reported.
 */
const timed = (name: string, binary: string, priority: number, config: string) => `
  <start name="${name}" caps="60" priority="${priority}">
    <binary name="${binary}"/>
    <resource name="RAM" quantum="1M"/>
    <config ${config}/>${TIMER_ROUTE}
  </start>`;

export default scenario({
  description: 'priorities: a high-priority ticker keeps its deadlines while a low-priority spinner computes; an equal-priority one waits for the quantum',
  modules: ['timer', 'test-priority_ticker', 'test-priority_spinner'],
  config: `<config prio_levels="2">
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver('priority="0"')}${timed('high', 'test-priority_ticker', 0, 'period_us="10000" count="40" name="high"')}${
  timed('equal', 'test-priority_ticker', -1, 'period_us="10000" count="40" name="equal"')}${
  timed('spinner', 'test-priority_spinner', -1, 'bursts="40" burst="2000000"')}
</config>`,
  succeed: [
    /\[init -> high\] high: 40 ticks of 10000 us, lateness worst \d+ us, mean \d+ us/,
    /\[init -> equal\] equal: 40 ticks of 10000 us, lateness worst \d+ us, mean \d+ us/,
    /\[init -> spinner\] all 40 bursts done/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
