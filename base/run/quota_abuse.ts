import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

/*
 * The hostile child gets 8M so that its flood of uncollected session requests hits init's
 * limit of outstanding requests (1024) before its RAM for their charge (4 KiB each) runs out.
 * The run takes a few seconds; the time limit is generous for linux on a loaded machine.
 * The server has its own route: the default route would lead its Abuse_test requests back
 * to itself, which init's config check refuses.
 */
export default scenario({
  description: 'a hostile child tries to mint quota (bad transfers, session args, upgrades, heap sizes) and floods init with uncollected session requests; all refused, nothing minted or lost',
  modules: ['test-quota_abuse_server', 'test-quota_abuse', 'test-quota_abuse_honest'],
  config: `<config>
  ${parentProvides()}
  <default-route><service name="Abuse_test"><child name="server"/></service><any-service><parent/></any-service></default-route>
  <start name="server" caps="100"><binary name="test-quota_abuse_server"/><resource name="RAM" quantum="2M"/>
    <provides><service name="Abuse_test"/></provides>
    <route><any-service><parent/></any-service></route></start>
  <start name="hostile" caps="100"><binary name="test-quota_abuse"/><resource name="RAM" quantum="8M"/>
    <config flood="10000"/></start>
  <start name="honest" caps="100"><binary name="test-quota_abuse_honest"/><resource name="RAM" quantum="1M"/></start>
</config>`,
  succeed: [
    /\[init -> hostile\] hostile quota unchanged: nothing minted, nothing lost/,
    /\[init -> hostile\] server quota unchanged: it paid nothing for the attacks/,
    /\[init -> hostile\] session budget at the server .*: unchanged/,
    /\[init -> hostile\] flood of 10000 session requests: \d+ kept, \d+ refused/,
    /\[init -> hostile\] all \d+ attempts refused/,
    /\[init -> honest\] honest sibling kept getting sessions/,
    /\[init -> honest\] honest sibling quota .*: unchanged/,
    /\[init -> hostile\] --- quota_abuse finished ---/,
  ],
  fail: ERROR_LINE,
  timeout: '120s',
});
