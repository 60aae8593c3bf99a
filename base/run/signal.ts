import { ERROR_LINE, scenario, parentProvides } from '../src/scenario.js';

const senders = [1, 2, 3, 4].map((i) => `
  <start name="sender${i}" caps="30">
    <binary name="test-signal_sender"/>
    <resource name="RAM" quantum="1M"/>
  </start>`).join('');

export default scenario({
  description: 'signals: delivery, coalescing of submits, four sender components',
  modules: ['test-signal', 'test-signal_sender'],
  config: `<config>
  ${parentProvides()}
  <default-route><any-service><parent/><any-child/></any-service></default-route>
  <start name="test-signal" caps="50">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Signal_test"/></provides>
  </start>${senders}
</config>`,
  succeed: [/three submits: 1 delivery, count 3/, /4 senders submitted 100 signals, 100 received/, /--- Signalling test finished ---/],
  fail: ERROR_LINE,
  timeout: '30s',
});
