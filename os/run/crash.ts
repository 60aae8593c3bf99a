import { TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * Faults of one component end that component only: a child that throws in construct, one
 * that exits, one that computes forever without a system call (contained by the kernel's
 * CPU watchdog on the emulated kernels, in virtual time; by core's heartbeat watchdog on
 * linux), one that leaves a promise rejection unhandled, and one that throws in a timer
 * handler. init reports each, and a sixth child keeps logging on its timer throughout.
 */
const child = (name: string, config: string, timer = false) => `
  <start name="${name}" caps="60">
    <binary name="test-exit"/>
    <resource name="RAM" quantum="1M"/>
    <config ${config}/>${timer ? TIMER_ROUTE : `
    <route><any-service><parent/></any-service></route>`}
  </start>`;

export default scenario({
  description: 'faults stay in the component: throw, exit, an endless loop, an unhandled rejection, a throw in a timer handler; a logger keeps going',
  modules: ['timer', 'test-exit'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}${child('logger', 'action="tick" count="30"', true)}${
  child('thrower', 'action="throw"')}${
  child('exiter', 'action="exit" value="7"')}${
  child('spinner', 'action="spin"')}${
  child('rejecter', 'action="reject"')}${
  child('handler', 'action="handler-throw"', true)}
</config>`,
  succeed: [
    /\[init -> thrower\] Error: uncaught RangeError: test-exit was told to throw/,
    /child "thrower" exited with exit value -1/,
    /child "exiter" exited with exit value 7/,
    /\[init -> spinner\] Error: .*(CpuExhausted|watchdog)/,
    /child "spinner" exited with exit value -1/,
    /\[init -> rejecter\] Error: .*unhandled promise rejection: TypeError: test-exit was told to reject/,
    /child "rejecter" exited with exit value -1/,
    /\[init -> handler\] Error: uncaught RangeError: test-exit was told to throw in its timer handler/,
    /child "handler" exited with exit value -1/,
    /\[init -> logger\] still alive 30/,
    /child "logger" exited with exit value 0/,
  ],
  fail: /\[init -> logger\] Error: |\[init\] Error: /,
  timeout: '60s',
});
