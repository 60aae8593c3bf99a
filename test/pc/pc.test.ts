import test from 'ava';
import type { Machine } from '../../base/src/machine.js';
import { Pc } from '../../tool/pc/index.js';
import { drainI8042, initPics, out } from './helpers.js';

test('Pc is a Machine with a name, RAM, clock and interrupt line', (t) => {
  const machine: Machine = new Pc({ name: 'test-pc', tscHz: 1_000_000_000 });
  t.is(machine.name, 'test-pc');
  t.is(machine.clock.tscHz, 1_000_000_000);
  t.is(machine.clock.tsc(), 0);
  t.is(machine.clock.nextEventAt(), undefined); // no firmware programmed the PIT
  t.is(machine.interrupts.acknowledge(), undefined);
});

test('unclaimed ports read as all ones for every width', (t) => {
  const pc = new Pc();
  t.is(pc.inPort(0x300, 1), 0xff);
  t.is(pc.inPort(0x300, 2), 0xffff);
  t.is(pc.inPort(0x300, 4), 0xffffffff);
  pc.outPort(0x80, 1, 0x12); // POST code port: ignored
});

test('a 16-bit access to 8-bit devices is two byte accesses, low port first', (t) => {
  const pc = new Pc();
  pc.outPort(0x3ff, 1, 0x34); // COM1 scratch
  t.is(pc.inPort(0x3fe, 2) >> 8, 0x34);
  pc.outPort(0x20, 2, 0x2011); // 0x11 to 0x20 (ICW1), 0x20 to 0x21 (ICW2)
  t.is(pc.pic.vectorOf(3), 0x23);
});

test('mmio: RAM is not device memory; the framebuffer BAR is; partial overlaps are refused', (t) => {
  const pc = new Pc();
  t.is(pc.mmio(0x1000, 4096), undefined);
  const fb = pc.mmio(0xfd000000, 0x1000);
  t.truthy(fb);
  t.is(fb!.base, 0xfd000000);
  t.is(fb!.size, 0x1000);
  fb!.bytes[5] = 9;
  t.is(pc.vga.vram[5], 9);
  t.is(pc.mmio(0xfd000000 + 16 * 1024 * 1024 - 0x800, 0x1000), undefined);
  t.is(pc.mmio(0xfe000000, 0x1000), undefined);
});

test('framebufferBase and vramBytes options place and size BAR0', (t) => {
  const pc = new Pc({ framebufferBase: 0xe0000000, vramBytes: 4 * 1024 * 1024 });
  t.is(pc.vga.barAddress(0), 0xe0000000);
  t.truthy(pc.mmio(0xe0000000, 4 * 1024 * 1024));
  t.is(pc.mmio(0xe0000000, 4 * 1024 * 1024 + 1), undefined);
});

test('two PCs fed the same inputs behave identically (virtual time only)', (t) => {
  const run = (): string[] => {
    const pc = new Pc();
    initPics(pc);
    const log: string[] = [];
    pc.interrupts.onAssert(() => {
      const irq = pc.interrupts.acknowledge();
      log.push(`irq ${irq} at ${pc.clock.tsc()}`);
      out(pc, 0x20, 0x20);
    });
    out(pc, 0x43, 0x34); out(pc, 0x40, 0x9c); out(pc, 0x40, 0x2e); // 100 Hz
    for (let i = 0; i < 5; i++) pc.clock.advanceTo(pc.clock.nextEventAt()!);
    pc.keyboard.tap('z');
    log.push(drainI8042(pc).join(','));
    return log;
  };
  const first = run();
  t.is(first.length, 8); // 5 timer ticks, IRQ1 for the make and the break byte, the bytes
  t.is(first[0], 'irq 0 at 20000302'); // 11932 PIT ticks = ceil(11932 * 2e9 / 1193182) cycles
  t.is(first[7], '44,172');
  t.deepEqual(run(), first);
});

test('a kernel idle loop can jump virtual time from event to event', (t) => {
  const pc = new Pc();
  initPics(pc, 0xfe);
  let ticks = 0;
  pc.interrupts.onAssert(() => {
    if (pc.interrupts.acknowledge() === 0) ticks++;
    out(pc, 0x20, 0x20);
  });
  out(pc, 0x43, 0x34); out(pc, 0x40, 0xa9); out(pc, 0x40, 0x04); // 1193: ~1 kHz
  while (pc.clock.tsc() < 2_000_000_000) pc.clock.advanceTo(pc.clock.nextEventAt()!);
  t.is(ticks, 1001); // one second of 1193-tick periods, plus the one the last jump lands on
});
