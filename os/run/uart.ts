import { ERROR_LINE, scenario, parentProvides, uartDriver } from '../../base/src/scenario.js';

export default scenario({
  description: 'uart_drv: bytes injected at the emulated 16550 reach a Terminal client, whose echo leaves through the UART again',
  modules: ['uart_drv', 'test-terminal_echo'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${uartDriver()}
  <start name="test-terminal_echo" caps="60">
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="Terminal"><child name="uart_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  serialOutput: true,
  input: [
    { after: /\[init -> test-terminal_echo\] terminal echo ready/, serial: 'hello uart\n' },
    /* more than the receive FIFO holds, after the first echo came back */
    { after: /^\[uart\] hello uart$/, serial: `${'0123456789'.repeat(5)}\n` },
  ],
  succeed: [
    /\[init -> uart_drv\] UART at 0x3f8, IRQ 4, 115200 baud/,
    /^\[uart\] hello uart$/,
    /^\[uart\] (0123456789){5}$/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
