/* uart_drv's 16550 driver on the emulated UART: set-up, receive through interrupts, send. */
import test from 'ava';
import { Ns16550, UartError } from '../../os/src/drivers/uart/ns16550.js';
import { Pc } from '../../tool/pc/index.js';
import { pcPorts } from './ports.js';

test('set-up programs 8N1 at the baud rate with FIFOs, OUT2 and the receive interrupt', async (t) => {
  const pc = new Pc();
  await new Ns16550(pcPorts(pc, 0x3f8, 8), 0x3f8).init(9600);
  t.is(pc.uart.divisor, 12);
  t.is(pc.uart.lcr, 0x03);
  t.true(pc.uart.fifoEnabled);
  t.is(pc.uart.mcr & 0x08, 0x08);
  t.is(pc.uart.ier, 0x05);
});

test('received bytes come out of the interrupt handler, sent bytes leave the UART', async (t) => {
  const pc = new Pc();
  const uart = new Ns16550(pcPorts(pc, 0x3f8, 8), 0x3f8);
  await uart.init(115200);
  const sent: number[] = [];
  pc.uart.onTransmit((b) => sent.push(b));
  pc.uart.receive('ping');
  /* four bytes are below the FIFO trigger: the character timeout raises the interrupt */
  pc.clock.advanceTo(pc.clock.nextEventAt()!);
  const got: number[] = [];
  await uart.interrupt((b) => got.push(b));
  t.is(Buffer.from(got).toString(), 'ping');
  await uart.write(Buffer.from('pong'));
  t.is(Buffer.from(sent).toString(), 'pong');
  t.is(uart.lost, 0);
});

test('bad baud rates and a missing UART are refused', async (t) => {
  t.throws(() => Ns16550.divisor(100_000), { instanceOf: UartError, message: /not 115200 divided/ });
  const pc = new Pc();
  await t.throwsAsync(new Ns16550(pcPorts(pc, 0x2f8, 8), 0x2f8).init(115200), { message: /no UART at 0x2f8/ });
});
