import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

export default scenario({
  description: 'quota trading: donation, server heap charged to it, upgrade, refusal, exact return over 1000 cycles',
  modules: ['test-quota_server', 'test-quota_client'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/><any-child/></any-service></default-route>
  <start name="test-quota_server" caps="50">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Quota_test"/></provides>
  </start>
  <start name="test-quota_client" caps="100">
    <resource name="RAM" quantum="2M"/>
  </start>
</config>`,
  succeed: [/quota test succeeded/, /child "test-quota_client" exited with exit value 0/],
  fail: ERROR_LINE,
  timeout: '60s',
});
