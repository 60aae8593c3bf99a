import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

/*
 * Helping: a server whose `work` RPC computes for about 20 ms of virtual time, a
 * low-priority client that keeps it busy, and a high-priority client whose call arrives
 * while the server is busy with the low one's. The high call must complete on every
 * kernel. Both clients report their calling thread's execution time as the kernel accounts
 * it (Cpu_thread.executionTime): on NOVA the server's work runs on its callers' scheduling
 * contexts, and the high client, finding the server busy, helps it finish the low
 * client's call on its own SC (test/run/helping.test.ts checks the figures there).
 */
const client = (name: string, priority: number, config: string) => `
  <start name="${name}" caps="60" priority="${priority}">
    <binary name="test-helping_client"/>
    <resource name="RAM" quantum="1M"/>
    <config name="${name}" units="2000000" ${config}/>
    <route>
      <service name="Helping"><child name="server"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>`;

export default scenario({
  description: 'helping: a high-priority call that finds the server busy completes; on NOVA it helps on its own SC',
  modules: ['test-helping_server', 'test-helping_client'],
  config: `<config prio_levels="2">
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <start name="server" caps="60" priority="0">
    <binary name="test-helping_server"/>
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Helping"/></provides>
  </start>${client('low', -1, 'min_calls="3"')}${client('high', 0, 'watch="yes"')}
</config>`,
  succeed: [
    /\[init -> high\] high: the call that found the server busy returned/,
    /\[init -> high\] high: execution time of that call: (\d+ us|not reported)/,
    /\[init -> low\] low: \d+ calls done, a watching client's call was served meanwhile/,
    /\[init -> low\] low: execution time of each call: (\d+(, \d+)* us|not reported)/,
    /child "high" exited with exit value 0/,
    /child "low" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
