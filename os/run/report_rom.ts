import { ERROR_LINE, scenario, parentProvides, timerDriver, DEFAULT_ROUTE_TO_PARENT } from '../../base/src/scenario.js';

/*
 * A nested init reports its state (<report>) to report_rom; a reader gets it back as the
 * ROM "state" and waits for the child that exits to show up with its exit value. A
 * hostile Report client submits lengths past its buffer and asks for absurd buffers.
 */
const SUB_SERVICES = ['PD', 'CPU', 'ROM', 'RM', 'LOG', 'Timer', 'Report'];

export default scenario({
  description: 'report_rom: init\'s state report read back through report_rom; oversized reports and buffers refused',
  modules: ['timer', 'report_rom', 'test-exit', 'test-report_rom'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}
  ${DEFAULT_ROUTE_TO_PARENT}${timerDriver()}
  <start name="report_rom" caps="100">
    <resource name="RAM" quantum="2M"/>
    <provides><service name="Report"/><service name="ROM"/></provides>
    <config>
      <policy label="reader -> state" report="sub -> state"/>
    </config>
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
    <config version="one">
      <parent-provides>${SUB_SERVICES.map((s) => `<service name="${s}"/>`).join('')}</parent-provides>
      <report ids="yes" child_ram="yes" child_caps="yes" requested="yes" provided="yes" init_ram="yes" init_caps="yes" delay_ms="50"/>
      ${DEFAULT_ROUTE_TO_PARENT}
      <start name="first"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="tick" count="2" value="3"/></start>
      <start name="idle" caps="60"><binary name="test-exit"/><resource name="RAM" quantum="1M"/><config action="idle"/></start>
    </config>
  </start>
  <start name="reader" caps="60">
    <binary name="test-report_rom"/>
    <resource name="RAM" quantum="1M"/>
    <config action="read" rom="state" wait_exited="first"/>
    <route>
      <service name="ROM" label="state"><child name="report_rom"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="hostile" caps="60">
    <binary name="test-report_rom"/>
    <resource name="RAM" quantum="1M"/>
    <config action="hostile"/>
    <route>
      <service name="Report"><child name="report_rom"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init -> reader\] child "first" binary="test-exit", id=1, exited=3/,
    /\[init -> reader\] child "idle" binary="test-exit", id=2, ram assigned=1048576 \(quota, used, avail\), caps assigned=60/,
    /\[init -> reader\]   "idle" requested LOG "idle" CAP_HANDED_OUT/,
    /\[init -> reader\] --- report_rom test done ---/,
    /\[init -> hostile\] --- report_rom hostile test done ---/,
  ],
  fail: ERROR_LINE,
  timeout: '60s',
});
