import test from 'ava';
import { Pc, Ram, DEFAULT_RAM_BYTES } from '../../tool/pc/index.js';

test('RAM defaults to 64 MiB and is the Machine.memory', (t) => {
  const pc = new Pc();
  t.is(DEFAULT_RAM_BYTES, 64 * 1024 * 1024);
  t.is(pc.memory.size, 64 * 1024 * 1024);
});

test('RAM size is an option', (t) => {
  const pc = new Pc({ ramBytes: 8 * 1024 * 1024 });
  t.is(pc.memory.size, 8 * 1024 * 1024);
  t.throws(() => new Ram(1000), { instanceOf: RangeError });
});

test('RAM is little-endian', (t) => {
  const ram = new Ram(8192);
  ram.back(0, 4096);
  ram.write32(0x100, 0x11223344);
  t.is(ram.view(0x100, 1)[0], 0x44);
  t.is(ram.read16(0x102), 0x1122);
  t.true(ram.contains(8188, 4));
  t.false(ram.contains(8189, 4));
});

test('each allocated range has its own buffer: a view cannot be widened to other memory', (t) => {
  const ram = new Ram(1 << 20);
  ram.back(0x1000, 0x2000);
  ram.back(0x3000, 0x1000);
  const a = ram.find(0x1800, 16)!;
  t.is(a.buffer.byteLength, 0x2000, 'the view\'s buffer is its range, not all of RAM');
  t.is(ram.find(0x2800, 0x1000), undefined, 'a view across two ranges does not exist');
  t.is(ram.find(0x8000, 16), undefined, 'memory never allocated is not reachable');
  ram.drop(0x1000, 0x2000);
  t.is(ram.find(0x1800, 16), undefined, 'freed memory is gone');
});
