import { TIMER_ROUTE, scenario, parentProvides, timerDriver } from '../../base/src/scenario.js';

/*
 * Every fault class, one child each, while a sibling keeps opening and closing sessions:
 * a server that faults while a client waits in its call (the client gets an error), a
 * client that faults while blocked in a call that never returns (the server is not
 * disturbed), a throw in construct, an unhandled promise rejection, a throw in a timer
 * (signal) handler, and children started with caps="0" and caps="1". init reports each
 * fault and the run ends normally. The crash and starved scenarios cover more variants of
 * a lone component's faults (an exit, an endless loop, too little RAM).
 */
const child = (name: string, config: string, route = '', caps = 60) => `
  <start name="${name}" caps="${caps}">
    <binary name="test-exit"/>
    <resource name="RAM" quantum="1M"/>
    <config ${config}/>${route}
  </start>`;

const PARENT_ROUTE = `
    <route><any-service><parent/></any-service></route>`;

const crashyRoute = (server: string, timer = false) => `
    <route>
      <service name="Crashy"><child name="${server}"/></service>${timer ? `
      <service name="Timer"><child name="timer"/></service>` : ''}
      <any-service><parent/></any-service>
    </route>`;

export default scenario({
  description: 'faults with a peer: a server faults in a call (its client gets an error), a client faults while blocked; a sibling keeps getting sessions',
  modules: ['timer', 'test-exit'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${timerDriver()}
  <start name="spin_server" caps="60">
    <binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="crashy"/>
    <provides><service name="Crashy"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="hang_server" caps="60">
    <binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="crashy"/>
    <provides><service name="Crashy"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>${child('caller', 'action="call-spin"', crashyRoute('spin_server'))}${
  child('blocked', 'action="call-hang"', crashyRoute('hang_server', true))}${
  child('thrower', 'action="throw"', PARENT_ROUTE)}${
  child('rejecter', 'action="reject"', PARENT_ROUTE)}${
  child('handler', 'action="handler-throw"', TIMER_ROUTE)}${
  child('caps0', 'action="exit" value="3"', PARENT_ROUTE, 0)}${
  child('caps1', 'action="exit" value="3"', PARENT_ROUTE, 1)}${
  child('sibling', 'action="sessions" count="40"', TIMER_ROUTE)}
</config>`,
  succeed: [
    /\[init -> spin_server\] Error: .*(CpuExhausted|watchdog)/,
    /child "spin_server" exited with exit value -1/,
    /\[init -> caller\] the call failed: /,
    /child "caller" exited with exit value 0/,
    /\[init -> blocked\] Error: uncaught RangeError: test-exit faulted while blocked in a call/,
    /child "blocked" exited with exit value -1/,
    /\[init -> thrower\] Error: uncaught RangeError: test-exit was told to throw/,
    /child "thrower" exited with exit value -1/,
    /\[init -> rejecter\] Error: .*unhandled promise rejection: TypeError: test-exit was told to reject/,
    /child "rejecter" exited with exit value -1/,
    /\[init -> handler\] Error: uncaught RangeError: test-exit was told to throw in its timer handler/,
    /child "handler" exited with exit value -1/,
    /\[init -> caps0\] Error: .*OutOfCaps: /,
    /child "caps0" exited with exit value -1/,
    /\[init -> caps1\] Error: .*OutOfCaps: /,
    /child "caps1" exited with exit value -1/,
    /\[init -> sibling\] 40 sessions opened and closed/,
    /child "sibling" exited with exit value 0/,
  ],
  fail: /\[init -> sibling\] Error: |\[init -> hang_server\] Error: |\[init\] Error: /,
  timeout: '60s',
});
