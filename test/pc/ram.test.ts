import test from 'ava';
import { Pc, Ram, DEFAULT_RAM_BYTES } from '../../tool/pc/index.js';

test('RAM defaults to 64 MiB and is the Machine.ram buffer', (t) => {
  const pc = new Pc();
  t.is(DEFAULT_RAM_BYTES, 64 * 1024 * 1024);
  t.is(pc.ram.byteLength, 64 * 1024 * 1024);
  t.is(pc.ram, pc.memory.buffer);
});

test('RAM size is an option', (t) => {
  const pc = new Pc({ ramBytes: 8 * 1024 * 1024 });
  t.is(pc.ram.byteLength, 8 * 1024 * 1024);
  t.throws(() => new Ram(1000), { instanceOf: RangeError });
});

test('RAM is little-endian and shared by all views', (t) => {
  const ram = new Ram(4096);
  ram.write32(0x100, 0x11223344);
  t.is(ram.bytes[0x100], 0x44);
  t.is(ram.read16(0x102), 0x1122);
  t.is(new Uint32Array(ram.buffer)[0x40], 0x11223344);
  t.true(ram.contains(4092, 4));
  t.false(ram.contains(4093, 4));
});
