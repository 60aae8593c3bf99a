import test from 'ava';
import { Pc, PciBus, PciFunction } from '../../tool/pc/index.js';

const address = (slot: number, fn: number, reg: number, bus = 0): number =>
  (0x80000000 | (bus << 16) | (slot << 11) | (fn << 8) | (reg & 0xfc)) >>> 0;

function readConfig(pc: Pc, slot: number, fn: number, reg: number, width: 1 | 2 | 4 = 4): number {
  pc.outPort(0xcf8, 4, address(slot, fn, reg));
  return pc.inPort(0xcfc + (reg & 3), width);
}

function writeConfig(pc: Pc, slot: number, fn: number, reg: number, width: 1 | 2 | 4, value: number): void {
  pc.outPort(0xcf8, 4, address(slot, fn, reg));
  pc.outPort(0xcfc + (reg & 3), width, value);
}

test('0xCF8 reads back the value last written', (t) => {
  const pc = new Pc();
  pc.outPort(0xcf8, 4, 0x80000000);
  t.is(pc.inPort(0xcf8, 4), 0x80000000);
  pc.outPort(0xcf8, 4, 0x80001234);
  t.is(pc.inPort(0xcf8, 4), 0x80001234);
});

test('the host bridge at 00:00.0 is an i440FX', (t) => {
  const pc = new Pc();
  t.is(readConfig(pc, 0, 0, 0x00), 0x12378086);
  t.is(readConfig(pc, 0, 0, 0x08) >>> 8, 0x060000);
  t.is(readConfig(pc, 1, 0, 0x00), 0x70008086); // PIIX3 ISA bridge
  t.is(readConfig(pc, 1, 0, 0x0e, 1) & 0x80, 0x80); // multifunction
});

test('8- and 16-bit accesses at 0xCFD-0xCFF address the bytes of the register', (t) => {
  const pc = new Pc();
  t.is(readConfig(pc, 0, 0, 0x00, 2), 0x8086);
  t.is(readConfig(pc, 0, 0, 0x02, 2), 0x1237);
  t.is(readConfig(pc, 0, 0, 0x01, 1), 0x80);
  t.is(readConfig(pc, 0, 0, 0x03, 1), 0x12);
  t.is(readConfig(pc, 0, 0, 0x0b, 1), 0x06); // class
  t.is(readConfig(pc, 0, 0, 0x0a, 1), 0x00); // subclass
});

test('absent devices and functions read all ones; writes to them vanish', (t) => {
  const pc = new Pc();
  t.is(readConfig(pc, 7, 0, 0x00), 0xffffffff);
  t.is(readConfig(pc, 7, 0, 0x00, 2), 0xffff);
  t.is(readConfig(pc, 1, 1, 0x00, 2), 0xffff);
  pc.outPort(0xcf8, 4, address(0, 0, 0, 1)); // bus 1 does not exist
  t.is(pc.inPort(0xcfc, 4), 0xffffffff);
  pc.outPort(0xcf8, 4, 0x00000000); // enable bit clear
  t.is(pc.inPort(0xcfc, 4), 0xffffffff);
  writeConfig(pc, 9, 0, 0x04, 2, 0x0007);
  t.is(readConfig(pc, 9, 0, 0x04, 2), 0xffff);
});

test('BAR sizing: writing all ones reads back the size mask with the type bits', (t) => {
  const pc = new Pc();
  const original = readConfig(pc, 2, 0, 0x10);
  t.is(original, 0xfd000008); // firmware placed the VGA framebuffer; prefetchable memory
  writeConfig(pc, 2, 0, 0x10, 4, 0xffffffff);
  const mask = readConfig(pc, 2, 0, 0x10);
  t.is(mask, 0xff000008);
  t.is(((~(mask & ~0xf)) >>> 0) + 1, 16 * 1024 * 1024);
  writeConfig(pc, 2, 0, 0x10, 4, original);
  t.is(readConfig(pc, 2, 0, 0x10), original);
  // Unimplemented BARs and the ROM BAR read 0, even after writing all ones.
  writeConfig(pc, 2, 0, 0x14, 4, 0xffffffff);
  t.is(readConfig(pc, 2, 0, 0x14), 0);
  writeConfig(pc, 2, 0, 0x30, 4, 0xffffffff);
  t.is(readConfig(pc, 2, 0, 0x30), 0);
});

test('an I/O BAR sizes with bit 0 set', (t) => {
  const bus = new PciBus();
  const nic = new PciFunction({ vendor: 0x10ec, device: 0x8029, classCode: 0x020000, interruptPin: 1 });
  nic.defineBar(0, 'io', 32);
  bus.add(3, 0, nic);
  bus.outPort(0xcf8, 4, address(3, 0, 0x10));
  bus.outPort(0xcfc, 4, 0xffffffff);
  t.is(bus.inPort(0xcfc, 4), 0xffffffe1);
  bus.outPort(0xcfc, 4, 0xc100);
  t.is(nic.barAddress(0), 0xc100);
  t.is(bus.inPort(0xcfc, 4), 0xc101);
  bus.outPort(0xcf8, 4, address(3, 0, 0x3c));
  t.is(bus.inPort(0xcfd, 1), 1); // interrupt pin INTA
});

test('command register: only the defined bits are writable', (t) => {
  const pc = new Pc();
  writeConfig(pc, 2, 0, 0x04, 2, 0xffff);
  t.is(readConfig(pc, 2, 0, 0x04, 2), 0x0547);
  writeConfig(pc, 2, 0, 0x04, 2, 0x0000);
  t.is(readConfig(pc, 2, 0, 0x04, 2), 0x0000);
  t.is(pc.mmio(0xfd000000, 4096), undefined); // memory decoding off: no framebuffer
  writeConfig(pc, 2, 0, 0x04, 2, 0x0002);
  t.truthy(pc.mmio(0xfd000000, 4096));
});

test('status error bits are cleared by writing one', (t) => {
  const pc = new Pc();
  pc.vga.config[0x07] = 0xf9; // pretend errors were flagged
  t.is(readConfig(pc, 2, 0, 0x06, 2), 0xf900);
  writeConfig(pc, 2, 0, 0x06, 2, 0x8000);
  t.is(readConfig(pc, 2, 0, 0x06, 2), 0x7900);
  writeConfig(pc, 2, 0, 0x04, 4, 0x79000000); // dword write through the command register
  t.is(readConfig(pc, 2, 0, 0x06, 2), 0x0000);
});

test('interrupt line is writable, vendor and class are not', (t) => {
  const pc = new Pc();
  writeConfig(pc, 2, 0, 0x3c, 1, 11);
  t.is(readConfig(pc, 2, 0, 0x3c, 1), 11);
  writeConfig(pc, 2, 0, 0x00, 4, 0);
  t.is(readConfig(pc, 2, 0, 0x00), 0x11111234);
});

test('PIIX3 PIRQ routing: firmware values and the slot/pin swizzle', (t) => {
  const pc = new Pc();
  t.is(readConfig(pc, 1, 0, 0x60), 0x0b0b0a0a);
  t.is(pc.isaBridge.irqFor(3, 1), 11); // PIRQC
  t.is(pc.isaBridge.irqFor(4, 1), 11); // PIRQD
  t.is(pc.isaBridge.irqFor(5, 1), 10); // PIRQA
  writeConfig(pc, 1, 0, 0x60, 1, 0x80); // PIRQA disabled
  t.is(pc.isaBridge.irqFor(5, 1), undefined);
});

test('0xCF9 reset control: 0x02 then 0x06 requests a reset', (t) => {
  const pc = new Pc();
  const resets: string[] = [];
  pc.onReset((source) => resets.push(source));
  pc.outPort(0xcf9, 1, 0x02);
  t.deepEqual(resets, []);
  t.is(pc.inPort(0xcf9, 1), 0x02);
  pc.outPort(0xcf9, 1, 0x06);
  t.deepEqual(resets, ['pci-reset-control']);
});

test('the mechanism-#1 probe: a byte write to 0xCFB does not disturb the address register', (t) => {
  const pc = new Pc();
  pc.outPort(0xcf8, 4, 0x80000000);
  pc.outPort(0xcfb, 1, 0x01);
  t.is(pc.inPort(0xcf8, 4), 0x80000000);
});
