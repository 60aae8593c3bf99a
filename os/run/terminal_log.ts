import { ERROR_LINE, scenario, parentProvides, uartDriver } from '../../base/src/scenario.js';

/*
 * terminal_log: a client's LOG session is routed to terminal_log, which writes each line,
 * prefixed with the client's label, to uart_drv's Terminal session: the lines leave the
 * machine through COM1.
 */
export default scenario({
  description: 'terminal_log: LOG sessions written onto a Terminal session (uart_drv, COM1), each line prefixed with the client\'s label; lone colour escape sequences passed through, long texts split, a burst of lines in order',
  modules: ['uart_drv', 'terminal_log', 'test-terminal_log_client'],
  config: `<config>
  ${parentProvides(['IO_PORT', 'IRQ'])}${uartDriver()}
  <start name="terminal_log" caps="100">
    <resource name="RAM" quantum="1M"/>
    <provides><service name="LOG"/></provides>
    <route>
      <service name="Terminal"><child name="uart_drv"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
  <start name="test-terminal_log_client" caps="60">
    <resource name="RAM" quantum="1M"/>
    <route>
      <service name="LOG"><child name="terminal_log"/></service>
      <any-service><parent/></any-service>
    </route>
  </start>
</config>`,
  serialOutput: true,
  succeed: [
    /\[init -> terminal_log\] terminal_log ready/,
    /^\[uart\] \[test-terminal_log_client\] first line$/,
    /^\[uart\] \[test-terminal_log_client\] a line without a break$/,
    /^\[uart\] \\x1b\[32m\[test-terminal_log_client\] green text$/,
    /^\[uart\] \\x1b\[0m\[test-terminal_log_client\] long: (0123456789){22}012345$/,
    /^\[uart\] \[test-terminal_log_client\] 6789(0123456789){7}$/,
    /^\[uart\] \[test-terminal_log_client\] line 49 of 50$/,
    /^\[uart\] \[test-terminal_log_client\] done$/,
  ],
  fail: ERROR_LINE,
  timeout: '30s',
});
