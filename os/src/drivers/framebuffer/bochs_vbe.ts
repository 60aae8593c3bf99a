/*
 * The Bochs/QEMU "dispi" VBE interface of the standard VGA: an index port (0x1CE) and a
 * 16-bit data port (0x1CF) through which a driver sets a linear-framebuffer mode without
 * a video BIOS. Mode set: disable, write resolution and depth, enable with the LFB bit;
 * then read back what the adapter took.
 */
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';

export const VBE_PORT_BASE = 0x1ce;
/** Index and data port; the 16-bit data access at 0x1CF reaches 0x1D0 as well. */
export const VBE_PORT_COUNT = 3;
const INDEX = 0x1ce;
const DATA = 0x1cf;

const ID = 0x0;
const XRES = 0x1;
const YRES = 0x2;
const BPP = 0x3;
const ENABLE = 0x4;
const VIRT_WIDTH = 0x6;
const VIDEO_MEMORY_64K = 0xa;

const ID_MIN = 0xb0c0;
const ID_MAX = 0xb0c5;
const ENABLED = 0x01;
const GETCAPS = 0x02;
const LFB_ENABLED = 0x40;

export interface VbeLimits {
  version: number;
  maxWidth: number;
  maxHeight: number;
  maxBpp: number;
  videoMemory: number;
}

export class BochsVbe {
  constructor(private readonly io: IoPortSession) {}

  private async read(index: number): Promise<number> {
    await this.io.outw(INDEX, index);
    return this.io.inw(DATA);
  }

  private async write(index: number, value: number): Promise<void> {
    await this.io.outw(INDEX, index);
    await this.io.outw(DATA, value);
  }

  /** Checks for the interface (the adapter must accept the newest version it knows) and reads its limits. */
  async probe(): Promise<VbeLimits> {
    await this.write(ID, ID_MAX);
    const version = await this.read(ID);
    if (version < ID_MIN || version > ID_MAX) throw new Error(`no Bochs VBE interface (ID register reads 0x${version.toString(16)})`);
    await this.write(ENABLE, GETCAPS);
    const limits = {
      version,
      maxWidth: await this.read(XRES),
      maxHeight: await this.read(YRES),
      maxBpp: await this.read(BPP),
      videoMemory: (await this.read(VIDEO_MEMORY_64K)) * 64 * 1024,
    };
    await this.write(ENABLE, 0);
    return limits;
  }

  /** Sets a linear-framebuffer mode; returns the line pitch in bytes. */
  async setMode(width: number, height: number, bpp: number): Promise<number> {
    await this.write(ENABLE, 0);
    await this.write(XRES, width);
    await this.write(YRES, height);
    await this.write(BPP, bpp);
    await this.write(ENABLE, ENABLED | LFB_ENABLED);
    const got = { width: await this.read(XRES), height: await this.read(YRES), bpp: await this.read(BPP), enable: await this.read(ENABLE) };
    if (got.width !== width || got.height !== height || got.bpp !== bpp || !(got.enable & ENABLED)) {
      throw new Error(`the adapter refused ${width}x${height}x${bpp} (it shows ${got.width}x${got.height}x${got.bpp}, enable 0x${got.enable.toString(16)})`);
    }
    return (await this.read(VIRT_WIDTH)) * (bpp / 8);
  }
}
