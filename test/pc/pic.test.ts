import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { inb, initPics, out } from './helpers.js';

// Tests drive IRQ wires no device of the PC uses (3, 5-11, 13-15), except where noted.

test('power-on: every line masked, BIOS vectors, nothing pending', (t) => {
  const pc = new Pc();
  t.is(inb(pc, 0x21), 0xff);
  t.is(inb(pc, 0xa1), 0xff);
  t.is(pc.pic.vectorOf(0), 0x08);
  t.is(pc.pic.vectorOf(8), 0x70);
  pc.pic.raise(3);
  t.false(pc.pic.intr);
  t.is(pc.interrupts.acknowledge(), undefined);
});

test('ICW1-4 program the vector bases; ICW1 clears IMR; OCW1 sets it', (t) => {
  const pc = new Pc();
  initPics(pc, 0xfa, 0xbf);
  t.is(pc.pic.vectorOf(0), 0x20);
  t.is(pc.pic.vectorOf(7), 0x27);
  t.is(pc.pic.vectorOf(14), 0x2e);
  t.is(inb(pc, 0x21), 0xfa);
  t.is(inb(pc, 0xa1), 0xbf);
  out(pc, 0x20, 0x11); // restart initialisation: IMR cleared
  t.is(inb(pc, 0x21), 0x00);
  out(pc, 0x21, 0x30); out(pc, 0x21, 0x04); out(pc, 0x21, 0x01);
  t.is(pc.pic.vectorOf(1), 0x31);
  out(pc, 0x21, 0x55); // now OCW1 again
  t.is(inb(pc, 0x21), 0x55);
});

test('a masked IRQ stays in IRR and is delivered once unmasked', (t) => {
  const pc = new Pc();
  initPics(pc, 0x08);
  let asserts = 0;
  pc.interrupts.onAssert(() => asserts++);
  pc.pic.raise(3);
  t.false(pc.pic.intr);
  t.is(asserts, 0);
  out(pc, 0x20, 0x0a);
  t.is(inb(pc, 0x20), 0x08); // IRR
  out(pc, 0x21, 0x00);
  t.true(pc.pic.intr);
  t.is(asserts, 1);
  t.is(pc.interrupts.acknowledge(), 3);
  t.is(inb(pc, 0x20), 0x00); // edge mode: IRR cleared on INTA
  out(pc, 0x20, 0x0b);
  t.is(inb(pc, 0x20), 0x08); // ISR
});

test('non-specific EOI clears the highest-priority ISR bit; specific EOI the named one', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(5);
  t.is(pc.interrupts.acknowledge(), 5);
  pc.pic.raise(3); // higher priority nests
  t.is(pc.interrupts.acknowledge(), 3);
  out(pc, 0x20, 0x0b);
  t.is(inb(pc, 0x20), 0x28);
  out(pc, 0x20, 0x20); // non-specific: clears IR3
  t.is(inb(pc, 0x20), 0x20);
  out(pc, 0x20, 0x65); // specific EOI for IR5
  t.is(inb(pc, 0x20), 0x00);
});

test('priorities: lower IRQ number wins; in-service blocks equal and lower priority', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(6);
  pc.pic.raise(4);
  t.is(pc.interrupts.acknowledge(), 4);
  t.is(pc.interrupts.acknowledge(), undefined); // IR6 waits behind IR4 in service
  pc.pic.lower(4);
  pc.pic.raise(4);
  t.is(pc.interrupts.acknowledge(), undefined); // equal priority waits too
  out(pc, 0x20, 0x20);
  t.is(pc.interrupts.acknowledge(), 4);
  out(pc, 0x20, 0x20);
  t.is(pc.interrupts.acknowledge(), 6);
});

test('edge triggering: a line held high requests once; lower and raise again for the next', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(3);
  t.is(pc.interrupts.acknowledge(), 3);
  out(pc, 0x20, 0x20);
  pc.pic.raise(3); // still high: no new edge
  t.is(pc.interrupts.acknowledge(), undefined);
  pc.pic.lower(3);
  pc.pic.raise(3);
  t.is(pc.interrupts.acknowledge(), 3);
});

test('cascade: IRQ 8-15 arrive through master IR2 and need EOI on both chips', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(10);
  t.true(pc.pic.intr);
  t.is(pc.interrupts.acknowledge(), 10);
  t.is(pc.pic.vectorOf(10), 0x2a);
  out(pc, 0x20, 0x0b);
  out(pc, 0xa0, 0x0b);
  t.is(inb(pc, 0x20), 0x04); // master IR2 in service
  t.is(inb(pc, 0xa0), 0x04); // slave IR2 (= IRQ10) in service
  pc.pic.raise(1); // higher than the cascade: nests
  t.is(pc.interrupts.acknowledge(), 1);
  out(pc, 0x20, 0x20);
  pc.pic.raise(12); // slave IR4 is lower than IR2 in service on the slave
  t.is(pc.interrupts.acknowledge(), undefined);
  out(pc, 0xa0, 0x20);
  t.is(pc.interrupts.acknowledge(), undefined); // master IR2 still in service
  out(pc, 0x20, 0x20);
  t.is(pc.interrupts.acknowledge(), 12);
});

test('spurious: a request withdrawn before INTA sets no ISR bit', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(5);
  out(pc, 0x21, 0x20); // mask IR5 after INTR went up
  t.is(pc.interrupts.acknowledge(), undefined);
  out(pc, 0x20, 0x0b);
  t.is(inb(pc, 0x20), 0x00);
  t.is(pc.pic.spuriousAcknowledges, 1);
});

test('spurious on the slave: IRQ15 without a slave ISR bit, master IR2 in service', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(9); // latched in master IRR2 through the cascade
  out(pc, 0xa1, 0x02); // the slave loses its request
  t.is(pc.interrupts.acknowledge(), 15);
  out(pc, 0xa0, 0x0b);
  out(pc, 0x20, 0x0b);
  t.is(inb(pc, 0xa0), 0x00);
  t.is(inb(pc, 0x20), 0x04);
});

test('onAssert fires when INTR rises, again after EOI unblocks a waiting request', (t) => {
  const pc = new Pc();
  initPics(pc);
  let asserts = 0;
  pc.interrupts.onAssert(() => asserts++);
  pc.pic.raise(3);
  t.is(asserts, 1);
  pc.pic.raise(7); // INTR already high
  t.is(asserts, 1);
  t.is(pc.interrupts.acknowledge(), 3);
  t.is(asserts, 1); // IR7 is blocked by IR3 in service
  out(pc, 0x20, 0x20);
  t.is(asserts, 2);
  t.is(pc.interrupts.acknowledge(), 7);
});

test('a listener may acknowledge from inside the notification', (t) => {
  const pc = new Pc();
  initPics(pc);
  out(pc, 0x21, 0x00);
  // Auto-EOI, so both requests can be delivered back to back.
  out(pc, 0x20, 0x11); out(pc, 0x21, 0x20); out(pc, 0x21, 0x04); out(pc, 0x21, 0x03);
  const delivered: Array<number | undefined> = [];
  pc.interrupts.onAssert(() => delivered.push(pc.interrupts.acknowledge()));
  pc.pic.setIrq(4, true);
  pc.pic.setIrq(3, true);
  t.deepEqual(delivered, [4, 3]);
  out(pc, 0x20, 0x0b);
  t.is(inb(pc, 0x20), 0x00); // AEOI: nothing stays in service
});

test('OCW3 poll mode acknowledges through a command-port read', (t) => {
  const pc = new Pc();
  initPics(pc);
  pc.pic.raise(6);
  out(pc, 0x20, 0x0c);
  t.is(inb(pc, 0x20), 0x86);
  out(pc, 0x20, 0x0c);
  t.is(inb(pc, 0x20), 0x00);
});

test('rotation: set priority makes the next IR the highest', (t) => {
  const pc = new Pc();
  initPics(pc);
  out(pc, 0x20, 0xc4); // lowest priority = IR4, so IR5 is highest
  pc.pic.raise(1);
  pc.pic.raise(6);
  t.is(pc.interrupts.acknowledge(), 6);
});

test('ELCR makes a line level-triggered: IRR follows the wire', (t) => {
  const pc = new Pc();
  initPics(pc);
  out(pc, 0x4d1, 0x04); // IRQ10 level-triggered
  t.is(inb(pc, 0x4d1), 0x04);
  out(pc, 0x4d0, 0x07); // IRQ 0-2 can never be level-triggered
  t.is(inb(pc, 0x4d0), 0x00);
  pc.pic.raise(10);
  out(pc, 0xa0, 0x0a);
  t.is(inb(pc, 0xa0), 0x04);
  pc.pic.lower(10);
  t.is(inb(pc, 0xa0), 0x00);
  pc.pic.raise(10);
  t.is(pc.interrupts.acknowledge(), 10);
  out(pc, 0xa0, 0x20); out(pc, 0x20, 0x20);
  t.is(pc.interrupts.acknowledge(), 10); // still high: requests again
});
