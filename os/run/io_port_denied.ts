import { scenario, parentProvides } from '../../base/src/scenario.js';

export default scenario({
  description: 'a driver whose route lacks IO_PORT gets no session for the device ports: init refuses it, the driver reports ServiceDenied and ends',
  modules: ['uart_drv'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}
  <start name="uart_drv" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="Terminal"/></provides>
    <route>
      <service name="IRQ"><parent/></service>
      <service name="LOG"><parent/></service>
      <service name="ROM"><parent/></service>
      <service name="PD"><parent/></service>
      <service name="CPU"><parent/></service>
      <service name="RM"><parent/></service>
    </route>
  </start>
</config>`,
  succeed: [
    /\[init\] Warning: uart_drv: no route to service "IO_PORT"/,
    /\[init -> uart_drv\] Error: no access to the UART at 0x3f8: ServiceDenied: /,
    /child "uart_drv" exited with exit value 1/,
  ],
  /* the denial is the expected outcome; a driver that got the ports would announce its service */
  fail: /\[init -> uart_drv\] UART at 0x3f8/,
  timeout: '30s',
});
