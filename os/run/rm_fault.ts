import { scenario, parentProvides, DEFAULT_ROUTE_TO_PARENT, ERROR_LINE } from '../../base/src/scenario.js';

export default scenario({
  description: "Genode's rm_fault test: a child's accesses fault to core's pager, which reflects them to the parent's fault handler on the child's address space; read, write and exec faults",
  modules: ['test-rm_fault'],
  config: `<config>
  ${parentProvides()}
  ${DEFAULT_ROUTE_TO_PARENT}
  <start name="test-rm_fault" caps="200">
    <resource name="RAM" quantum="4M"/>
    <config>
      <parent-provides><service name="ROM"/><service name="LOG"/><service name="PD"/><service name="CPU"/></parent-provides>
      <default-route><any-service><parent/></any-service></default-route>
      <start name="rmchild" caps="60"><binary name="test-rm_fault"/><resource name="RAM" quantum="1M"/><config role="child"/></start>
    </config>
  </start>
</config>`,
  succeed: [
    /rmchild\] read value 0x12345$/m,
    /rm session state is READ_FAULT, pf_addr=0x18000000/,
    /got write fault on read-only attached RAM/,
    /got write fault on ROM \(binary\)/,
    /rmchild\] modify memory at 0x18000000 from 0x12345 to 0x12346/,
    /rm session state is EXEC_FAULT, pf_addr=0x18000000/,
    /child modified dataspace content, new value is 0x12346/,
    /--- child role of region-manager fault test finished ---/,
    /--- parent role of region-manager fault test finished ---/,
    /child "test-rm_fault" exited with exit value 0/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
