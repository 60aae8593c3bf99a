import test from 'ava';
import { Pc, DEFAULT_FRAMEBUFFER_BASE } from '../../tool/pc/index.js';

const dispiWrite = (pc: Pc, index: number, value: number): void => {
  pc.outPort(0x1ce, 2, index);
  pc.outPort(0x1cf, 2, value);
};
const dispiRead = (pc: Pc, index: number): number => {
  pc.outPort(0x1ce, 2, index);
  return pc.inPort(0x1cf, 2);
};

function setMode(pc: Pc, width: number, height: number, bpp: number, enable = 0x41): void {
  dispiWrite(pc, 4, 0);
  dispiWrite(pc, 1, width);
  dispiWrite(pc, 2, height);
  dispiWrite(pc, 3, bpp);
  dispiWrite(pc, 4, enable);
}

test('PCI identity: 1234:1111, display class, prefetchable BAR0 of 16 MiB', (t) => {
  const pc = new Pc();
  pc.outPort(0xcf8, 4, 0x80001000); // 00:02.0 register 0
  t.is(pc.inPort(0xcfc, 4), 0x11111234);
  pc.outPort(0xcf8, 4, 0x80001008);
  t.is(pc.inPort(0xcfc, 4) >>> 8, 0x030000);
  t.deepEqual(pc.vga.bars[0], { kind: 'memory', size: 16 * 1024 * 1024, prefetchable: true });
});

test('ID register: reads 0xB0C5; accepts versions B0C0-B0C5 only', (t) => {
  const pc = new Pc();
  t.is(dispiRead(pc, 0), 0xb0c5);
  dispiWrite(pc, 0, 0xb0c2);
  t.is(dispiRead(pc, 0), 0xb0c2);
  dispiWrite(pc, 0, 0xb0c6);
  t.is(dispiRead(pc, 0), 0xb0c2);
  t.is(dispiRead(pc, 0xa), 256); // 16 MiB in 64 KiB units
});

test('a 1024x768x32 mode set makes the LFB the right size', (t) => {
  const pc = new Pc();
  setMode(pc, 1024, 768, 32);
  const mode = pc.vga.mode();
  t.like(mode, { enabled: true, linearFramebuffer: true, width: 1024, height: 768, bitsPerPixel: 32, pitch: 4096, start: 0 });
  t.is(pc.vga.framebufferBytes().length, 1024 * 768 * 4);
  const lfb = pc.mmio(DEFAULT_FRAMEBUFFER_BASE, 1024 * 768 * 4);
  t.truthy(lfb);
  t.is(lfb!.bytes.length, 3 * 1024 * 1024);
  t.is(dispiRead(pc, 6), 1024); // VIRT_WIDTH
  t.is(dispiRead(pc, 7), 768); // VIRT_HEIGHT
  t.is(dispiRead(pc, 4), 0x41);
});

test('pixels written through the MMIO region show up in the screenshot as RGBA', (t) => {
  const pc = new Pc();
  setMode(pc, 640, 480, 32);
  const lfb = pc.mmio(DEFAULT_FRAMEBUFFER_BASE, 640 * 480 * 4)!;
  const view = new DataView(lfb.bytes.buffer, lfb.bytes.byteOffset);
  view.setUint32((10 * 640 + 3) * 4, 0x00ff8040, true); // 0x00RRGGBB
  const rgba = pc.vga.toRgba();
  t.is(rgba.length, 640 * 480 * 4);
  t.deepEqual([...rgba.subarray((10 * 640 + 3) * 4, (10 * 640 + 4) * 4)], [0xff, 0x80, 0x40, 0xff]);
  t.is(pc.vga.framebufferBytes()[(10 * 640 + 3) * 4 + 2], 0xff);
});

test('XRES/YRES/BPP are locked while enabled; GETCAPS reports the maxima', (t) => {
  const pc = new Pc();
  setMode(pc, 800, 600, 16);
  dispiWrite(pc, 1, 1024);
  t.is(dispiRead(pc, 1), 800);
  dispiWrite(pc, 4, 0x00);
  dispiWrite(pc, 4, 0x02); // GETCAPS
  t.is(dispiRead(pc, 1), 16000);
  t.is(dispiRead(pc, 2), 12000);
  t.is(dispiRead(pc, 3), 32);
  dispiWrite(pc, 4, 0x00);
  t.is(dispiRead(pc, 1), 800);
});

test('a mode that does not fit the VRAM is refused', (t) => {
  const pc = new Pc();
  setMode(pc, 4096, 4096, 32);
  t.false(pc.vga.mode().enabled);
  t.is(pc.vga.framebufferBytes().length, 0);
});

test('enabling clears VRAM unless NOCLEARMEM is set', (t) => {
  const pc = new Pc();
  pc.vga.vram[100] = 0x55;
  setMode(pc, 640, 480, 32, 0xc1);
  t.is(pc.vga.vram[100], 0x55);
  dispiWrite(pc, 4, 0);
  dispiWrite(pc, 4, 0x41);
  t.is(pc.vga.vram[100], 0);
});

test('VIRT_WIDTH widens the pitch and derives VIRT_HEIGHT; offsets move the display start', (t) => {
  const pc = new Pc();
  setMode(pc, 640, 480, 32);
  dispiWrite(pc, 6, 320); // narrower than XRES: ignored
  t.is(dispiRead(pc, 6), 640);
  dispiWrite(pc, 6, 1024);
  t.is(dispiRead(pc, 6), 1024);
  t.is(dispiRead(pc, 7), Math.floor((16 * 1024 * 1024) / 4096));
  dispiWrite(pc, 8, 2);
  dispiWrite(pc, 9, 480);
  t.like(pc.vga.mode(), { pitch: 4096, start: 480 * 4096 + 8 });
});

test('15 bpp counts two bytes per pixel', (t) => {
  const pc = new Pc();
  setMode(pc, 320, 200, 15);
  t.like(pc.vga.mode(), { bytesPerPixel: 2, pitch: 640 });
  pc.vga.vram[0] = 0x00;
  pc.vga.vram[1] = 0x7c; // pure red in 5:5:5
  t.deepEqual([...pc.vga.toRgba().subarray(0, 4)], [255, 0, 0, 255]);
});

test('8 bpp screenshots use the DAC palette (6-bit values)', (t) => {
  const pc = new Pc();
  setMode(pc, 320, 200, 8);
  pc.outPort(0x3c8, 1, 5);
  pc.outPort(0x3c9, 1, 63);
  pc.outPort(0x3c9, 1, 0);
  pc.outPort(0x3c9, 1, 32);
  pc.vga.vram[1] = 5;
  t.deepEqual([...pc.vga.toRgba().subarray(4, 8)], [255, 0, 130, 255]);
  pc.outPort(0x3c7, 1, 5);
  t.deepEqual([pc.inPort(0x3c9, 1), pc.inPort(0x3c9, 1), pc.inPort(0x3c9, 1)], [63, 0, 32]);
});

test('legacy register files read back; input status 1 shows vertical retrace with time', (t) => {
  const pc = new Pc();
  pc.outPort(0x3d4, 1, 0x13);
  pc.outPort(0x3d5, 1, 0x50);
  t.is(pc.inPort(0x3d5, 1), 0x50);
  pc.outPort(0x3c4, 2, 0x0f02); // index and data in one 16-bit write
  t.is(pc.inPort(0x3c5, 1), 0x0f);
  t.is(pc.inPort(0x3da, 1) & 0x08, 0); // start of a frame: no retrace
  pc.clock.advance(Math.ceil((2_000_000_000 / 60) * (490.5 / 525)));
  t.is(pc.inPort(0x3da, 1) & 0x09, 0x09);
});

test('a 32-bit access at 0x1CE writes index and data at once', (t) => {
  const pc = new Pc();
  pc.outPort(0x1ce, 4, (640 << 16) | 1);
  t.is(dispiRead(pc, 1), 640);
});
