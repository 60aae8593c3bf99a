import { ERROR_LINE, scenario, parentProvides } from '../../base/src/scenario.js';

/*
 * terminal_crosslink: two clients joined; a 100 000-byte block (25 times the link's
 * buffer) goes from a to b in order while b reads, b's answer comes back, a third client
 * is denied and forged byte counts are refused.
 */
const client = (role: string) => `
  <start name="test-terminal_crosslink_${role}" caps="60">
    <binary name="test-terminal_crosslink"/>
    <resource name="RAM" quantum="2M"/>
    <config role="${role}"/>
    <route>
      <service name="Terminal"><child name="terminal_crosslink"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'terminal_crosslink: two Terminal clients joined through bounded buffers with read-avail signals; a block 25 times the buffer arrives whole and in order, the answer comes back, a third client is denied, forged byte counts refused',
  modules: ['terminal_crosslink', 'test-terminal_crosslink'],
  config: `<config>
  ${parentProvides()}
  <start name="terminal_crosslink" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Terminal"/></provides>
    <route><any-service><parent/></any-service></route>
  </start>
  ${client('a')}
  ${client('b')}
</config>`,
  succeed: [
    /\[init -> test-terminal_crosslink_a\] a: partner says: b is here/,
    /\[init -> test-terminal_crosslink_b\] b: greeting: hello from a/,
    /\[init -> test-terminal_crosslink_b\] b: received 100013 bytes, all bytes in order/,
    /\[init -> test-terminal_crosslink_a\] a: partner says: b got 100013 bytes, all bytes in order/,
    /\[init -> test-terminal_crosslink_a\] a: write\(-1\) refused: BadArgument: Terminal.write: invalid byte count -1/,
    /\[init -> test-terminal_crosslink_a\] a: read\(1.5\) refused: BadArgument: Terminal.read argument 1: expected an integer, got 1.5/,
    /\[init -> test-terminal_crosslink_a\] a: write\(1 GiB\) sent 4096 bytes, read\(1 GiB\) got 0/,
    /\[init -> test-terminal_crosslink_a\] a: done/,
    /\[init -> test-terminal_crosslink_b\] b: a third client is denied: ServiceDenied/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
