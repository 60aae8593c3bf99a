import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

const gate = (n: number) => `
  <start name="gate-${n}" caps="50">
    <binary name="test-threads_gate"/>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Gate"/></provides>
  </start>`;

export default scenario({
  description: 'threads: each calls through its own UTCB, so one blocked in a call blocks only itself; quota, join, kill',
  modules: ['test-threads', 'test-threads_gate'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>${gate(1)}${gate(2)}
  <start name="test-threads" caps="60">
    <resource name="RAM" quantum="2M"/>
    <route>
      <service name="Gate" label="one"><child name="gate-1"/></service>
      <service name="Gate" label="two"><child name="gate-2"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  /* without a UTCB per thread, b's echo would wait behind a's blocked call: a time-out */
  succeed: [
    /b: echo 42 returned while a waits/,
    /a fourth thread: OutOfCaps/,
    /a's second call still waits behind its first/,
    /300 short-lived threads one after another: capability space unchanged/,
    /d: GenodeError: thread "d" was killed/,
    /--- threads test finished ---/,
    /child "test-threads" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
