import { ERROR_LINE, TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

export default scenario({
  description: 'Cpu_thread pause/resume/state and exception_sigh: a paused thread makes no progress; an exception reaches its handler',
  modules: ['timer', 'test-pause'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="test-pause" caps="60">
    <resource name="RAM" quantum="2M"/>${TIMER_ROUTE}
  </start>
</config>`,
  succeed: [
    /counter stands still while paused/,
    /paused: state=valid paused=true/,
    /counter counts again after resume/,
    /a paused thread killed: GenodeError/,
    /exception handler signalled 1 time/,
    /faulty: state=exception paused=true .*exception="RangeError: faulty divides by zero"/,
    /faulty stays stopped in its exception/,
    /faulty ended after resume: RangeError: faulty divides by zero/,
    /pausing an invalid capability: \w+/,
    /pausing a thread that is gone: \w+/,
    /pausing a PD session capability: \w+/,
    /pausing an unstarted thread: BadArgument: thread "unstarted" of ".*" cannot be paused: it is not started/,
    /--- pause test finished ---/,
    /child "test-pause" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
