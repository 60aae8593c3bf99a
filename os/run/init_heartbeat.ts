import { ERROR_LINE, scenario, parentProvides, timerDriver, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

/*
 * A nested init monitors two children with <heartbeat/>: "alive" answers every heartbeat,
 * "stuck" answers three and then none. init logs the stuck one and its state report
 * (read back through report_rom) shows skipped_heartbeats for it only. A third child
 * without <heartbeat/> is not monitored.
 */
const SUB_SERVICES = ['PD', 'CPU', 'ROM', 'RM', 'LOG', 'Timer', 'Report'];

export default scenario({
  description: 'init <heartbeat rate_ms>: a child that stops answering heartbeats is logged and reported with skipped_heartbeats',
  modules: ['timer', 'report_rom', 'test-exit', 'test-report_rom'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}
  ${DEFAULT_ROUTE_TO_PARENT}${timerDriver()}
  <start name="report_rom" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Report"/><service name="ROM"/></provides>
    <config><policy label="reader -> state" report="sub -> state"/></config>
    <route><any-service><parent/></any-service></route>
  </start>
  <start name="sub" caps="400">
    <binary name="init"/>
    <resource name="RAM" quantum="8M"/>
    <route>
      <service name="Report"><child name="report_rom"/></service>
      <service name="Timer"><child name="timer"/></service>
      <any-service><parent/></any-service>
    </route>
    <config>
      <parent-provides>${SUB_SERVICES.map((s) => `<service name="${s}"/>`).join('')}</parent-provides>
      <heartbeat rate_ms="100"/>
      <report delay_ms="20"/>
      ${DEFAULT_ROUTE_TO_PARENT}
      <start name="alive"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><heartbeat/><config action="idle"/></start>
      <start name="stuck"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><heartbeat/><config action="stuck" after="3"/></start>
      <start name="unmonitored"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="stuck" after="0"/></start>
    </config>
  </start>
  <start name="reader" caps="60">
    <binary name="test-report_rom"/>
    <resource name="RAM" quantum="1M"/>
    <config action="read" rom="state" wait_skipped="stuck"/>
    <route>
      <service name="ROM" label="state"><child name="report_rom"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> sub -> stuck\] answered 3 heartbeats; stuck from now on/,
    /\[init -> sub\] Warning: child "stuck" skipped heartbeats: 1/,
    /\[init -> reader\] child "stuck" binary="test-exit", skipped_heartbeats=\d+/,
    /\[init -> reader\] child "alive" binary="test-exit"$/m,
    /\[init -> reader\] child "unmonitored" binary="test-exit"$/m,
    /\[init -> reader\] --- report_rom test done ---/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
