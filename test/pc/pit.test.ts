import test from 'ava';
import { Pc, PIT_HZ, ticksToCycles } from '../../tool/pc/index.js';
import { inb, initPics, out } from './helpers.js';

const HZ = 2_000_000_000;
/** TSC of PIT tick `n` (the PIT starts counting at tick 0 in these tests). */
const atTick = (n: number): number => ticksToCycles(n, HZ, PIT_HZ);

function setup(): { pc: Pc; irqs: () => number[] } {
  const pc = new Pc();
  initPics(pc, 0xfe, 0xff); // only IRQ0
  const delivered: number[] = [];
  pc.interrupts.onAssert(() => {
    const irq = pc.interrupts.acknowledge();
    if (irq !== undefined) {
      delivered.push(irq);
      out(pc, 0x20, 0x20);
    }
  });
  return { pc, irqs: () => delivered };
}

function program(pc: Pc, control: number, count: number): void {
  const port = 0x40 + (control >> 6);
  out(pc, 0x43, control);
  out(pc, port, count & 0xff);
  out(pc, port, count >> 8);
}

function latchedCount(pc: Pc, channel = 0): number {
  out(pc, 0x43, channel << 6); // latch command
  const lsb = inb(pc, 0x40 + channel);
  return lsb | (inb(pc, 0x40 + channel) << 8);
}

test('mode 0 counts down and raises IRQ0 once at terminal count', (t) => {
  const { pc, irqs } = setup();
  program(pc, 0x30, 1000); // channel 0, LSB+MSB, mode 0
  t.is(pc.clock.nextEventAt(), atTick(1000));
  pc.clock.advanceTo(atTick(250));
  t.is(latchedCount(pc), 750);
  pc.clock.advanceTo(atTick(1000) - 1);
  t.deepEqual(irqs(), []);
  t.is(latchedCount(pc), 1);
  pc.clock.advanceTo(atTick(1000));
  t.deepEqual(irqs(), [0]);
  t.is(pc.clock.nextEventAt(), undefined);
  pc.clock.advance(HZ); // a second later: the counter wrapped, OUT stays high, no second IRQ
  t.deepEqual(irqs(), [0]);
});

test('rewriting the count re-arms mode 0', (t) => {
  const { pc, irqs } = setup();
  program(pc, 0x30, 100);
  pc.clock.advanceTo(atTick(100));
  t.deepEqual(irqs(), [0]);
  out(pc, 0x40, 50); out(pc, 0x40, 0);
  t.is(pc.clock.nextEventAt(), atTick(150));
  pc.clock.advanceTo(atTick(150));
  t.deepEqual(irqs(), [0, 0]);
});

test('the latch command freezes the count until it is read; a second latch is ignored', (t) => {
  const { pc } = setup();
  program(pc, 0x30, 1000);
  pc.clock.advanceTo(atTick(100));
  out(pc, 0x43, 0x00);
  pc.clock.advanceTo(atTick(300));
  out(pc, 0x43, 0x00); // ignored: the first latch is not read yet
  t.is(inb(pc, 0x40), 900 & 0xff);
  t.is(inb(pc, 0x40), 900 >> 8);
  t.is(latchedCount(pc), 700); // latch released: a new one sees the live count
});

test('reading without a latch alternates LSB and MSB of the live count', (t) => {
  const { pc } = setup();
  program(pc, 0x30, 0x1234);
  pc.clock.advanceTo(atTick(0x34));
  t.is(inb(pc, 0x40), 0x00);
  t.is(inb(pc, 0x40), 0x12);
});

test('LSB-only and MSB-only access modes', (t) => {
  const { pc } = setup();
  out(pc, 0x43, 0x10); // LSB only, mode 0
  out(pc, 0x40, 0x80);
  t.is(pc.clock.nextEventAt(), atTick(0x80));
  t.is(inb(pc, 0x40), 0x80);
  out(pc, 0x43, 0x20); // MSB only, mode 0
  out(pc, 0x40, 0x02);
  t.is(pc.clock.nextEventAt(), atTick(0x200));
  t.is(inb(pc, 0x40), 0x02);
});

test('read-back returns status first, then the count', (t) => {
  const { pc } = setup();
  out(pc, 0x43, 0x30);
  out(pc, 0x43, 0xe2); // status only, channel 0
  t.is(inb(pc, 0x40), 0x70); // OUT low, null count, LSB+MSB, mode 0
  out(pc, 0x40, 0x00); out(pc, 0x40, 0x01); // 256
  pc.clock.advanceTo(atTick(6));
  out(pc, 0x43, 0xc2); // count and status, channel 0
  t.is(inb(pc, 0x40), 0x30); // count loaded: null count clear, OUT still low
  t.is(inb(pc, 0x40), 250);
  t.is(inb(pc, 0x40), 0);
  pc.clock.advanceTo(atTick(256));
  out(pc, 0x43, 0xe2);
  t.is(inb(pc, 0x40) & 0x80, 0x80); // OUT high after terminal count
});

test('mode 2 raises IRQ0 every period', (t) => {
  const { pc, irqs } = setup();
  program(pc, 0x34, 1193); // ~1 kHz
  t.is(pc.clock.nextEventAt(), atTick(1193));
  pc.clock.advanceTo(atTick(100));
  t.is(latchedCount(pc), 1093);
  pc.clock.advanceTo(pc.clock.nextEventAt()!);
  t.deepEqual(irqs(), [0]);
  t.is(pc.clock.nextEventAt(), atTick(2 * 1193));
  pc.clock.advanceTo(pc.clock.nextEventAt()!);
  pc.clock.advanceTo(pc.clock.nextEventAt()!);
  t.deepEqual(irqs(), [0, 0, 0]);
  t.is(latchedCount(pc), 1193);
});

test('periods missed in one long advance collapse into one IRQ0, as on an edge-triggered PIC', (t) => {
  const { pc, irqs } = setup();
  program(pc, 0x34, 1193);
  pc.clock.advance(HZ / 10); // 100 periods
  t.deepEqual(irqs(), [0]);
  t.is(pc.clock.nextEventAt(), atTick(101 * 1193));
});

test('a count of 0 means 65536', (t) => {
  const { pc } = setup();
  program(pc, 0x34, 0);
  t.is(pc.clock.nextEventAt(), atTick(65536));
});

test('mode 3 on channel 2 is a square wave visible in port 0x61 bit 5', (t) => {
  const { pc } = setup();
  out(pc, 0x61, 0x01); // gate channel 2
  program(pc, 0xb6, 100); // channel 2, LSB+MSB, mode 3
  pc.clock.advanceTo(atTick(10));
  t.is(inb(pc, 0x61) & 0x21, 0x21);
  pc.clock.advanceTo(atTick(60));
  t.is(inb(pc, 0x61) & 0x20, 0x00);
  pc.clock.advanceTo(atTick(110));
  t.is(inb(pc, 0x61) & 0x20, 0x20);
  t.is(pc.clock.nextEventAt(), undefined); // channel 2 drives no IRQ
});

test('calibration: channel 2 in mode 0, poll port 0x61 bit 5 for 10 ms', (t) => {
  const { pc } = setup();
  out(pc, 0x61, (inb(pc, 0x61) & ~0x02) | 0x01);
  program(pc, 0xb0, 11932); // 10 ms
  const start = pc.clock.tsc();
  let polls = 0;
  while (!(inb(pc, 0x61) & 0x20)) {
    pc.clock.advance(1000); // what the kernel would charge for a port read and the loop
    if (++polls > 100_000) return t.fail('OUT2 never went high');
  }
  const elapsed = pc.clock.tsc() - start;
  t.true(Math.abs(elapsed - 20_000_000) <= 2000, `elapsed ${elapsed}`);
});

test('gate low pauses mode 0 on channel 2', (t) => {
  const { pc } = setup();
  program(pc, 0xb0, 1000); // gate still low: not counting
  pc.clock.advanceTo(atTick(500));
  t.is(latchedCount(pc, 2), 1000);
  out(pc, 0x61, 0x01);
  pc.clock.advanceTo(atTick(700));
  t.is(latchedCount(pc, 2), 800);
  out(pc, 0x61, 0x00);
  pc.clock.advanceTo(atTick(900));
  t.is(latchedCount(pc, 2), 800);
  t.is(inb(pc, 0x61) & 0x01, 0x00);
});

test('mode 4 strobes OUT low for one tick at terminal count; the IRQ comes at the end of the strobe', (t) => {
  const { pc, irqs } = setup();
  program(pc, 0x38, 200);
  t.is(pc.clock.nextEventAt(), atTick(201));
  pc.clock.advanceTo(atTick(200));
  t.deepEqual(irqs(), []);
  pc.clock.advanceTo(atTick(201));
  t.deepEqual(irqs(), [0]);
  t.is(pc.clock.nextEventAt(), undefined);
});

test('BCD counting', (t) => {
  const { pc } = setup();
  program(pc, 0x31, 0x1000); // 1000 decimal
  t.is(pc.clock.nextEventAt(), atTick(1000));
  pc.clock.advanceTo(atTick(1));
  t.is(latchedCount(pc), 0x0999);
});

test('port 0x61 refresh bit toggles with time and bits 1-3 read back', (t) => {
  const { pc } = setup();
  out(pc, 0x61, 0x0e);
  t.is(inb(pc, 0x61) & 0x0f, 0x0e);
  const first = inb(pc, 0x61) & 0x10;
  pc.clock.advanceTo(atTick(18));
  t.not(inb(pc, 0x61) & 0x10, first);
});

test('speaker frequency follows channel 2 in mode 3', (t) => {
  const { pc } = setup();
  out(pc, 0x61, 0x03);
  program(pc, 0xb6, 1193);
  t.is(Math.round(pc.pit.speakerFrequency()), 1000);
  out(pc, 0x61, 0x01);
  t.is(pc.pit.speakerFrequency(), 0);
});
