import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

export default scenario({
  description: 'guessed capability names reach nothing on kernels that protect capabilities; revoked capabilities stop working',
  modules: ['test-cap_victim', 'test-cap_client', 'test-cap_forger'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/></any-service></default-route>
  <start name="victim" caps="100"><binary name="test-cap_victim"/><resource name="RAM" quantum="1M"/>
    <provides><service name="Victim"/></provides></start>
  <start name="client" caps="50"><binary name="test-cap_client"/><resource name="RAM" quantum="1M"/>
    <route><service name="Victim"><child name="victim"/></service><any-service><parent/></any-service></route></start>
  <start name="forger" caps="50"><binary name="test-cap_forger"/><resource name="RAM" quantum="1M"/>
    <config guesses="4096"/></start>
</config>`,
  succeed: [/\[init -> client\] granted capability works: true/, /\[init -> client\] revoked capability refused/,
    /\[init -> forger\] \d+ of 4096 forged capabilities reached the victim .*: (capabilities are protected|documented difference)/,
    /--- cap_forgery finished ---/],
  fail: ERROR_LINE,
  timeout: '60s',
});
