/*
 * The Mmio helper (base/src/util/mmio.ts) over a register file of its own: accesses by
 * offset and width, registers and bitfields (read-modify-write), sub-windows, polling, and
 * the refusal of accesses outside the window, unaligned or of another width; the shared
 * argument checks of the runtimes' register path (base/src/lib/register_access.ts).
 */
import test from 'ava';
import { BadArgument, PageFault } from '../../base/src/errors.js';
import { registerAccess } from '../../base/src/lib/register_access.js';
import { MmioError, mmioAccess, mmioAccessOk } from '../../base/src/machine.js';
import { Mmio, bitfield, register, type RegisterAccess, type RegisterWidth } from '../../base/src/util/mmio.js';
import { Pc } from '../../tool/pc/index.js';

const BASE = 0x1000_0000;

/** 64 bytes of little-endian registers at BASE, with a log of the accesses. */
function registers(): RegisterAccess & { bytes: Uint8Array; log: string[] } {
  const bytes = new Uint8Array(64);
  const dv = new DataView(bytes.buffer);
  const log: string[] = [];
  return {
    bytes, log,
    async mmioRead(addr: number, width: RegisterWidth) {
      log.push(`r${width}@${addr - BASE}`);
      return width === 1 ? dv.getUint8(addr - BASE) : width === 2 ? dv.getUint16(addr - BASE, true) : dv.getUint32(addr - BASE, true);
    },
    async mmioWrite(addr: number, width: RegisterWidth, value: number) {
      log.push(`w${width}@${addr - BASE}=${value >>> 0}`);
      if (width === 1) dv.setUint8(addr - BASE, value);
      else if (width === 2) dv.setUint16(addr - BASE, value, true);
      else dv.setUint32(addr - BASE, value >>> 0, true);
    },
  };
}

test('accesses by offset and width reach base + offset', async (t) => {
  const r = registers();
  const m = new Mmio(r, BASE, 64);
  await m.write32(4, 0xdeadbeef);
  t.is(await m.read32(4), 0xdeadbeef);
  t.is(await m.read16(6), 0xdead);
  t.is(await m.read8(4), 0xef);
  await m.write8(63, 0x5a);
  t.is(r.bytes[63], 0x5a);
  t.deepEqual(r.log, ['w4@4=3735928559', 'r4@4', 'r2@6', 'r1@4', 'w1@63=90']);
});

test('registers and bitfields: read by name, write keeps the other bits', async (t) => {
  const r = registers();
  const m = new Mmio(r, BASE, 64);
  const GHC = register(4, 4);
  const HR = bitfield(GHC, 0, 1);
  const AE = bitfield(GHC, 31, 1);
  const MID = bitfield(GHC, 8, 4);
  await m.writeReg(GHC, 0x8000_0000);
  t.is(await m.readBits(AE), 1);
  t.is(await m.readBits(HR), 0);
  await m.writeBits(HR, 1);
  await m.writeBits(MID, 0x1f); // masked to 4 bits
  t.is(await m.readReg(GHC), 0x8000_0f01);
  await m.writeBits(AE, 0);
  t.is(await m.readReg(GHC), 0x0f01);
  t.throws(() => bitfield(GHC, 30, 3), { instanceOf: BadArgument });
  t.throws(() => register(2, 4), { instanceOf: BadArgument, message: /aligned/ });
  t.throws(() => register(0, 8 as RegisterWidth), { instanceOf: BadArgument });
});

test('a sub-window (a port\'s registers) is offset and bounded', async (t) => {
  const r = registers();
  const port = new Mmio(r, BASE, 64).sub(32, 16);
  await port.write32(12, 7);
  t.is(r.bytes[44], 7);
  await t.throwsAsync(async () => port.read32(16), { instanceOf: BadArgument, message: /outside the window of 0x10 bytes/ });
  t.throws(() => new Mmio(r, BASE, 64).sub(60, 8), { instanceOf: BadArgument });
});

test('waitFor polls until the condition holds or the attempts run out', async (t) => {
  const r = registers();
  const m = new Mmio(r, BASE, 64);
  const BUSY = bitfield(register(0, 4), 7, 1);
  r.bytes[0] = 0x80;
  let delays = 0;
  t.true(await m.waitFor(BUSY, (v) => v === 0, 10, async () => { if (++delays === 3) r.bytes[0] = 0; }));
  t.is(delays, 3);
  r.bytes[0] = 0x80;
  t.false(await m.waitFor(BUSY, (v) => v === 0, 4, async () => {}));
});

test('accesses outside the window, unaligned or of another width are refused before any access', async (t) => {
  const r = registers();
  const m = new Mmio(r, BASE, 64);
  await t.throwsAsync(async () => m.read32(64), { instanceOf: BadArgument, message: /outside the window/ });
  await t.throwsAsync(async () => m.read32(62), { instanceOf: BadArgument, message: /outside the window/ });
  await t.throwsAsync(async () => m.read16(3), { instanceOf: BadArgument, message: /not aligned/ });
  await t.throwsAsync(async () => m.read(0, 8 as RegisterWidth), { instanceOf: BadArgument, message: /1, 2 or 4/ });
  await t.throwsAsync(async () => m.write32(-4, 0), { instanceOf: BadArgument });
  t.deepEqual(r.log, []);
  t.throws(() => new Mmio(r, BASE, 0), { instanceOf: BadArgument });
});

test('the runtimes\' register path: arguments checked, a fault raised once and retried, clear errors', async (t) => {
  const faults: number[] = [];
  let mapped = false;
  const kernel = (addr: number) => (addr === 0x2000 ? MmioError.NOT_REGISTERS : mapped ? 0x1234 : MmioError.FAULT);
  const fault = async (addr: number) => { faults.push(addr); mapped = true; };
  t.is(await registerAccess('t', 0x1000, 4, false, 0, kernel, fault), 0x1234);
  t.deepEqual(faults, [0x1000]);
  await t.throwsAsync(registerAccess('t', 0x2000, 4, false, 0, kernel, fault), { instanceOf: BadArgument, message: /not mapped onto device registers/ });
  await t.throwsAsync(registerAccess('t', 0x1002, 4, false, 0, kernel, fault), { instanceOf: BadArgument, message: /not aligned/ });
  await t.throwsAsync(registerAccess('t', 0x1000, 3, false, 0, kernel, fault), { instanceOf: BadArgument, message: /width 3/ });
  await t.throwsAsync(registerAccess('t', 0x1000, 4, true, 2 ** 33, kernel, fault), { instanceOf: BadArgument, message: /no 32-bit value/ });
  /* a fault the pager "resolved" without mapping: a page fault after the retries */
  await t.throwsAsync(registerAccess('t', 0x3000, 4, false, 0, () => MmioError.FAULT, async () => {}), { instanceOf: PageFault });
  /* a store passes the value's low bytes */
  const stores: number[] = [];
  await registerAccess('t', 0x1000, 2, true, 0x12345, (_a, _w, _wr, v) => { stores.push(v); return 0; }, fault);
  t.deepEqual(stores, [0x2345]);
});

test('the machine side: only the ABAR is register memory; accesses are decoded there', (t) => {
  const pc = new Pc({ ramBytes: 16 << 20 });
  t.true(pc.mmioRegisters(0xfebf0000, 0x1000));
  t.false(pc.mmioRegisters(0xfebf0000, 0x1001));
  t.false(pc.mmioRegisters(0xfd000000, 4)); // the framebuffer: plain device memory
  t.false(pc.mmioRegisters(0x1000, 4)); // RAM
  t.is(mmioAccess(pc, 0xfebf0010, 4, false), 0x10301);
  t.is(mmioAccess(pc, 0xfd000000, 4, false), MmioError.NOT_REGISTERS);
  t.true(mmioAccessOk(0xfebf0010, 4));
  t.false(mmioAccessOk(0xfebf0011, 2));
  t.false(mmioAccessOk(0xfebf0010, 3));
});
