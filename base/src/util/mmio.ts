/*
 * Register access for drivers (Genode's Genode::Mmio<SIZE>, base/include/util/mmio.h): a
 * window of `size` bytes at virtual address `base` onto device registers the component
 * attached (an IO_MEM dataspace), read and written by offset with 1, 2 or 4 bytes at a
 * time, plus registers and bitfields declared once and used by name:
 *
 *   const GHC = register(0x04, 4);          // struct Ghc : Register<0x04, 32>
 *   const GHC_HR = bitfield(GHC, 0, 1);     // struct Hr : Bitfield<0, 1>
 *   await mmio.writeBits(GHC_HR, 1);        // write<Ghc::Hr>(1): read-modify-write
 *   while (await mmio.readBits(GHC_HR)) ... // read<Ghc::Hr>()
 *
 * Every access is one register access of the kernel (Runtime.mmioRead / mmioWrite), so
 * each is asynchronous. An access outside the window, of another width or unaligned is
 * refused with a BadArgument naming it, before any kernel sees it.
 */
import { BadArgument } from '../errors.js';

export type RegisterWidth = 1 | 2 | 4;

/** What performs the accesses: the component's runtime (Env.mmio), or a test double. */
export interface RegisterAccess {
  mmioRead(addr: number, width: RegisterWidth): Promise<number>;
  mmioWrite(addr: number, width: RegisterWidth, value: number): Promise<void>;
}

export interface Register {
  readonly offset: number;
  readonly width: RegisterWidth;
}

export interface Bitfield {
  readonly register: Register;
  readonly shift: number;
  readonly bits: number;
}

/** A register at `offset` of `width` bytes (Genode's Register<OFFSET, WIDTH * 8>). */
export function register(offset: number, width: RegisterWidth): Register {
  if (width !== 1 && width !== 2 && width !== 4) throw new BadArgument(`register at 0x${offset.toString(16)}: width ${String(width)} is not 1, 2 or 4`);
  if (!Number.isSafeInteger(offset) || offset < 0 || offset % width !== 0) throw new BadArgument(`register at ${String(offset)}: not an offset aligned to its width ${width}`);
  return Object.freeze({ offset, width });
}

/** Bits [shift, shift+bits) of `reg` (Genode's Bitfield<SHIFT, WIDTH>). */
export function bitfield(reg: Register, shift: number, bits: number): Bitfield {
  if (!Number.isInteger(shift) || !Number.isInteger(bits) || shift < 0 || bits < 1 || shift + bits > reg.width * 8) {
    throw new BadArgument(`bitfield [${shift}, +${bits}) does not fit the ${reg.width * 8}-bit register at 0x${reg.offset.toString(16)}`);
  }
  return Object.freeze({ register: reg, shift, bits });
}

function mask(bits: number): number {
  return bits >= 32 ? 0xffff_ffff : (2 ** bits) - 1;
}

export class Mmio {
  constructor(private readonly access: RegisterAccess, readonly base: number, readonly size: number) {
    if (!Number.isSafeInteger(base) || base < 0 || !Number.isSafeInteger(size) || size <= 0) {
      throw new BadArgument(`Mmio: bad window 0x${Number(base).toString(16)}+${String(size)}`);
    }
  }

  /** A window onto the registers at [offset, offset+size) of this one (a port's registers). */
  sub(offset: number, size: number): Mmio {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(size) || offset < 0 || size <= 0 || offset + size > this.size) {
      throw new BadArgument(`Mmio: sub-window 0x${Number(offset).toString(16)}+${String(size)} lies outside the window of 0x${this.size.toString(16)} bytes`);
    }
    return new Mmio(this.access, this.base + offset, size);
  }

  private addr(offset: number, width: number): number {
    if (width !== 1 && width !== 2 && width !== 4) throw new BadArgument(`Mmio: access of ${String(width)} bytes at offset ${String(offset)} (1, 2 or 4)`);
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + width > this.size) {
      throw new BadArgument(`Mmio: access at offset 0x${Number(offset).toString(16)} (${width} bytes) lies outside the window of 0x${this.size.toString(16)} bytes at 0x${this.base.toString(16)}`);
    }
    if (offset % width !== 0) throw new BadArgument(`Mmio: access at offset 0x${offset.toString(16)} is not aligned to its width ${width}`);
    return this.base + offset;
  }

  read(offset: number, width: RegisterWidth): Promise<number> {
    return this.access.mmioRead(this.addr(offset, width), width);
  }

  write(offset: number, width: RegisterWidth, value: number): Promise<void> {
    return this.access.mmioWrite(this.addr(offset, width), width, value);
  }

  read8(offset: number): Promise<number> { return this.read(offset, 1); }
  read16(offset: number): Promise<number> { return this.read(offset, 2); }
  read32(offset: number): Promise<number> { return this.read(offset, 4); }
  write8(offset: number, value: number): Promise<void> { return this.write(offset, 1, value); }
  write16(offset: number, value: number): Promise<void> { return this.write(offset, 2, value); }
  write32(offset: number, value: number): Promise<void> { return this.write(offset, 4, value); }

  /** The whole register (Genode's read<Reg>()). */
  readReg(reg: Register): Promise<number> {
    return this.read(reg.offset, reg.width);
  }

  /** Writes the whole register (Genode's write<Reg>(value)). */
  writeReg(reg: Register, value: number): Promise<void> {
    return this.write(reg.offset, reg.width, value);
  }

  /** A bitfield's value (Genode's read<Reg::Field>()). */
  async readBits(f: Bitfield): Promise<number> {
    return ((await this.readReg(f.register)) >>> f.shift) & mask(f.bits);
  }

  /**
   * Sets a bitfield, keeping the register's other bits (Genode's write<Reg::Field>(v): a
   * read-modify-write; mind registers whose bits are write-one-to-clear).
   */
  async writeBits(f: Bitfield, value: number): Promise<void> {
    const m = (mask(f.bits) * 2 ** f.shift) >>> 0;
    const old = await this.readReg(f.register);
    const v = ((old & ~m) | ((value * 2 ** f.shift) & m)) >>> 0;
    await this.writeReg(f.register, v);
  }

  /**
   * Polls a bitfield until `pred` holds for its value, at most `attempts` times, awaiting
   * `delay` between reads (a Timer sleep; Genode's Mmio::wait_for with a Delayer). True if
   * it came to hold.
   */
  async waitFor(f: Bitfield, pred: (v: number) => boolean, attempts: number, delay: () => Promise<void>): Promise<boolean> {
    for (let i = 0; i < attempts; i++) {
      if (pred(await this.readBits(f))) return true;
      await delay();
    }
    return pred(await this.readBits(f));
  }
}
