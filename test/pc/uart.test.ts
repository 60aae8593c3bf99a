import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { inb, initPics, out } from './helpers.js';

const COM1 = 0x3f8;
const THR = COM1, IER = COM1 + 1, IIR = COM1 + 2, FCR = COM1 + 2, LCR = COM1 + 3, MCR = COM1 + 4, LSR = COM1 + 5, MSR = COM1 + 6, SCR = COM1 + 7;

function setup(): { pc: Pc; irqs: number[]; sent: number[] } {
  const pc = new Pc();
  initPics(pc, 0xef, 0xff); // IRQ4 only
  const irqs: number[] = [];
  pc.interrupts.onAssert(() => {
    const irq = pc.interrupts.acknowledge();
    if (irq === undefined) return;
    irqs.push(irq);
    out(pc, 0x20, 0x20);
  });
  const sent: number[] = [];
  pc.uart.onTransmit((byte) => sent.push(byte));
  return { pc, irqs, sent };
}

test('reset values: IIR 0x01 (no interrupt), LSR 0x60 (THR empty, transmitter empty)', (t) => {
  const { pc } = setup();
  t.is(inb(pc, IIR), 0x01);
  t.is(inb(pc, LSR), 0x60);
  t.is(inb(pc, IER), 0x00);
});

test('the scratch register holds what was written', (t) => {
  const { pc } = setup();
  out(pc, SCR, 0xa5);
  t.is(inb(pc, SCR), 0xa5);
});

test('DLAB switches offsets 0 and 1 to the divisor latch', (t) => {
  const { pc } = setup();
  out(pc, LCR, 0x83);
  out(pc, THR, 12);
  out(pc, IER, 0);
  t.is(inb(pc, THR), 12);
  t.is(inb(pc, IER), 0);
  out(pc, LCR, 0x03);
  t.is(pc.uart.divisor, 12);
  t.is(inb(pc, IER), 0x00); // the real IER again
  // 10 bits per 8N1 character at 9600 baud, in TSC cycles
  t.is(pc.uart.characterTime(), Math.ceil((10 / 9600) * 2_000_000_000));
});

test('bytes written to THR reach the output listener', (t) => {
  const { pc, sent } = setup();
  for (const ch of 'ok\n') out(pc, THR, ch.charCodeAt(0));
  t.deepEqual(sent, [0x6f, 0x6b, 0x0a]);
  t.is(inb(pc, LSR) & 0x60, 0x60);
});

test('loopback: transmitted bytes come back in RBR with LSR.DR, nothing goes out', (t) => {
  const { pc, sent } = setup();
  out(pc, MCR, 0x10);
  out(pc, THR, 0x42);
  t.deepEqual(sent, []);
  t.is(inb(pc, LSR) & 0x01, 0x01);
  t.is(inb(pc, THR), 0x42);
  t.is(inb(pc, LSR) & 0x01, 0x00);
});

test('loopback: MSR follows MCR (the Linux probe writes 0x1A and expects 0x90)', (t) => {
  const { pc } = setup();
  out(pc, MCR, 0x1a);
  t.is(inb(pc, MSR) & 0xf0, 0x90);
  out(pc, MCR, 0x1f);
  t.is(inb(pc, MSR) & 0xf0, 0xf0);
  out(pc, MCR, 0x00);
  t.is(inb(pc, MSR) & 0xf0, 0xb0); // a connected terminal: CTS, DSR, DCD
});

test('FCR bit 0 enables the FIFOs: IIR bits 7:6 read 11 (16550A detection)', (t) => {
  const { pc } = setup();
  out(pc, FCR, 0x01);
  t.is(inb(pc, IIR) & 0xc0, 0xc0);
  out(pc, FCR, 0x00);
  t.is(inb(pc, IIR) & 0xc0, 0x00);
});

test('received bytes: DR, RX-data interrupt on IRQ4 when OUT2 is set', (t) => {
  const { pc, irqs } = setup();
  out(pc, IER, 0x01);
  pc.uart.receive('x');
  t.deepEqual(irqs, []); // OUT2 clear: the PC's IRQ buffer is off
  out(pc, MCR, 0x0b);
  t.deepEqual(irqs, [4]);
  t.is(inb(pc, IIR), 0x04);
  t.is(inb(pc, THR), 0x78);
  t.is(inb(pc, IIR), 0x01);
  t.is(inb(pc, LSR) & 0x01, 0);
});

test('enabling the THRE interrupt with THR empty raises it; reading IIR acknowledges it', (t) => {
  const { pc, irqs } = setup();
  out(pc, MCR, 0x08);
  out(pc, IER, 0x02);
  t.deepEqual(irqs, [4]);
  t.is(inb(pc, IIR), 0x02);
  t.is(inb(pc, IIR), 0x01);
  out(pc, THR, 0x41); // transmitted at once: THR empty again, THRE pending again
  t.deepEqual(irqs, [4, 4]);
  t.is(inb(pc, IIR), 0x02);
});

test('RX data has priority over THRE in IIR', (t) => {
  const { pc } = setup();
  out(pc, MCR, 0x08);
  out(pc, IER, 0x03);
  pc.uart.receive([1]);
  t.is(inb(pc, IIR), 0x04);
  inb(pc, THR);
  t.is(inb(pc, IIR), 0x02);
});

test('with FIFOs, RX data interrupts at the trigger level; fewer bytes time out after 4 characters', (t) => {
  const { pc, irqs } = setup();
  out(pc, MCR, 0x08);
  out(pc, FCR, 0x87); // FIFOs on, trigger 8
  out(pc, IER, 0x01);
  pc.uart.receive('abc');
  t.is(inb(pc, IIR), 0xc1); // below the trigger level: nothing yet
  const timeout = pc.uart.characterTime() * 4;
  t.is(pc.clock.nextEventAt(), pc.clock.tsc() + timeout);
  pc.clock.advance(timeout - 1);
  t.deepEqual(irqs, []);
  pc.clock.advance(1);
  t.deepEqual(irqs, [4]);
  t.is(inb(pc, IIR), 0xcc); // character timeout
  t.is(String.fromCharCode(inb(pc, THR), inb(pc, THR), inb(pc, THR)), 'abc');
  t.is(inb(pc, IIR), 0xc1);
  pc.uart.receive('0123456789');
  t.is(inb(pc, IIR), 0xc4); // 10 bytes >= trigger 8
});

test('more input than the FIFO holds waits on the host side; nothing is lost', (t) => {
  const { pc } = setup();
  out(pc, FCR, 0x07);
  const text = 'the quick brown fox jumps over the lazy dog';
  pc.uart.receive(text);
  t.is(pc.uart.pendingInput, text.length);
  let got = '';
  while (inb(pc, LSR) & 0x01) got += String.fromCharCode(inb(pc, THR));
  t.is(got, text);
});

test('a break sets LSR.BI and raises a line-status interrupt, cleared by reading LSR', (t) => {
  const { pc } = setup();
  out(pc, IER, 0x04);
  pc.uart.receiveBreak();
  t.is(inb(pc, IIR), 0x06);
  t.is(inb(pc, LSR) & 0x11, 0x11);
  t.is(inb(pc, IIR), 0x01);
});

test('modem-status interrupt on a loopback line change, cleared by reading MSR', (t) => {
  const { pc } = setup();
  out(pc, MCR, 0x10);
  inb(pc, MSR);
  out(pc, IER, 0x08);
  out(pc, MCR, 0x12); // RTS -> CTS changes
  t.is(inb(pc, IIR), 0x00);
  t.is(inb(pc, MSR) & 0x01, 0x01);
  t.is(inb(pc, IIR), 0x01);
});
