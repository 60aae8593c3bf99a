/*
 * The Bochs/QEMU standard VGA ("-vga std"): PCI 1234:1111, class 0x030000, its VRAM as a
 * prefetchable linear framebuffer behind BAR0, and the "dispi" VBE registers behind the
 * index/data ports 0x1CE/0x1CF that set graphics modes without a video BIOS.
 *
 * Of legacy VGA only what drivers touch while setting up a VBE mode is modelled: the index/
 * data register files (sequencer, graphics, CRTC, attribute), the DAC palette (used for 8 bpp
 * screenshots) and input status 1 with retrace timing derived from the TSC. Text mode, the
 * 0xA0000 window (inside RAM here) and the QEMU MMIO BAR2 are not modelled.
 */

import type { MachineClock } from '../../base/src/machine.js';
import type { IoWidth, PortHandler } from './io.js';
import { COMMAND_IO, COMMAND_MEMORY, PciFunction } from './pci.js';

export const VBE_DISPI_INDEX_PORT = 0x1ce;
export const VBE_DISPI_DATA_PORT = 0x1cf;

export const VBE_DISPI_INDEX_ID = 0x0;
export const VBE_DISPI_INDEX_XRES = 0x1;
export const VBE_DISPI_INDEX_YRES = 0x2;
export const VBE_DISPI_INDEX_BPP = 0x3;
export const VBE_DISPI_INDEX_ENABLE = 0x4;
export const VBE_DISPI_INDEX_BANK = 0x5;
export const VBE_DISPI_INDEX_VIRT_WIDTH = 0x6;
export const VBE_DISPI_INDEX_VIRT_HEIGHT = 0x7;
export const VBE_DISPI_INDEX_X_OFFSET = 0x8;
export const VBE_DISPI_INDEX_Y_OFFSET = 0x9;
export const VBE_DISPI_INDEX_VIDEO_MEMORY_64K = 0xa;

export const VBE_DISPI_ID0 = 0xb0c0;
export const VBE_DISPI_ID5 = 0xb0c5;

export const VBE_DISPI_ENABLED = 0x01;
export const VBE_DISPI_GETCAPS = 0x02;
export const VBE_DISPI_8BIT_DAC = 0x20;
export const VBE_DISPI_LFB_ENABLED = 0x40;
export const VBE_DISPI_NOCLEARMEM = 0x80;

export const VBE_DISPI_MAX_XRES = 16000;
export const VBE_DISPI_MAX_YRES = 12000;
export const VBE_DISPI_MAX_BPP = 32;

export const DEFAULT_VRAM_BYTES = 16 * 1024 * 1024;

const VALID_BPP = new Set([4, 8, 15, 16, 24, 32]);
const ENABLE_BITS = VBE_DISPI_ENABLED | VBE_DISPI_GETCAPS | VBE_DISPI_8BIT_DAC | VBE_DISPI_LFB_ENABLED | VBE_DISPI_NOCLEARMEM;

export interface VgaMode {
  enabled: boolean;
  /** The linear framebuffer is in use (ENABLE bit 0x40) rather than the banked window. */
  linearFramebuffer: boolean;
  width: number;
  height: number;
  bitsPerPixel: number;
  /** 15 bpp counts as 2 bytes; 4 bpp as 0.5. */
  bytesPerPixel: number;
  /** Bytes per scan line: VIRT_WIDTH x bytes per pixel. */
  pitch: number;
  virtualWidth: number;
  virtualHeight: number;
  xOffset: number;
  yOffset: number;
  /** VRAM offset of the top-left visible pixel. */
  start: number;
}

function bytesPerPixel(bpp: number): number {
  return bpp === 15 ? 2 : bpp / 8;
}

/** Expand a 6-bit DAC value to 8 bits. */
function dac6to8(value: number): number {
  return ((value << 2) | (value >> 4)) & 0xff;
}

export class StdVga extends PciFunction implements PortHandler {
  readonly vram: Uint8Array;
  /** The dispi register file, indexed by VBE_DISPI_INDEX_*. */
  private readonly dispi = new Uint16Array(16);
  private dispiIndex = 0;

  // Legacy VGA register files: only stored so that drivers read back what they wrote.
  private readonly sequencer = new Uint8Array(256);
  private readonly graphics = new Uint8Array(256);
  private readonly crtc = new Uint8Array(256);
  private readonly attribute = new Uint8Array(32);
  private sequencerIndex = 0;
  private graphicsIndex = 0;
  private crtcIndex = 0;
  private attributeIndex = 0;
  private attributeFlipFlopData = false;
  private miscOutput = 0x01; // color emulation: CRTC at 0x3D4
  private featureControl = 0;
  private pelMask = 0xff;
  /** 256 entries of R, G, B as written (6 bits each unless the 8-bit DAC is enabled). */
  readonly palette = new Uint8Array(256 * 3);
  private dacWriteIndex = 0;
  private dacReadIndex = 0;
  private dacComponent = 0;
  private dacLastOpWasRead = false;

  /** `shared`: VRAM in a SharedArrayBuffer, for kernels that map it into other threads. */
  constructor(vramBytes = DEFAULT_VRAM_BYTES, private readonly clock?: MachineClock, shared = false) {
    super({ vendor: 0x1234, device: 0x1111, classCode: 0x030000, subsystemVendor: 0x1af4, subsystem: 0x1100 });
    if (vramBytes < 1 << 20 || (vramBytes & (vramBytes - 1)) !== 0) {
      throw new RangeError(`VRAM size must be a power of two of at least 1 MiB, got ${vramBytes}`);
    }
    this.vram = new Uint8Array(shared ? new SharedArrayBuffer(vramBytes) : new ArrayBuffer(vramBytes));
    this.defineBar(0, 'memory', vramBytes, true);
    this.dispi[VBE_DISPI_INDEX_ID] = VBE_DISPI_ID5;
    this.dispi[VBE_DISPI_INDEX_VIDEO_MEMORY_64K] = vramBytes >>> 16;
  }

  /** Firmware's part: put the framebuffer at `lfbBase` and enable decoding. */
  assignFramebuffer(lfbBase: number): void {
    this.set32(0x10, (lfbBase & ~0xf) | 0x8);
    this.set16(0x04, this.command | COMMAND_IO | COMMAND_MEMORY);
  }

  override barMemory(index: number): Uint8Array | undefined {
    return index === 0 ? this.vram : undefined;
  }

  // ---- dispi registers -------------------------------------------------------------------

  readDispi(index: number): number {
    const getCaps = (this.dispi[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_GETCAPS) !== 0;
    if (getCaps && index === VBE_DISPI_INDEX_XRES) return VBE_DISPI_MAX_XRES;
    if (getCaps && index === VBE_DISPI_INDEX_YRES) return VBE_DISPI_MAX_YRES;
    if (getCaps && index === VBE_DISPI_INDEX_BPP) return VBE_DISPI_MAX_BPP;
    return index < this.dispi.length ? this.dispi[index] : 0;
  }

  writeDispi(index: number, value: number): void {
    value &= 0xffff;
    const enabled = this.isEnabled();
    switch (index) {
      case VBE_DISPI_INDEX_ID:
        if (value >= VBE_DISPI_ID0 && value <= VBE_DISPI_ID5) this.dispi[index] = value;
        return;
      case VBE_DISPI_INDEX_XRES:
        if (!enabled && value <= VBE_DISPI_MAX_XRES) this.dispi[index] = value;
        return;
      case VBE_DISPI_INDEX_YRES:
        if (!enabled && value <= VBE_DISPI_MAX_YRES) this.dispi[index] = value;
        return;
      case VBE_DISPI_INDEX_BPP:
        if (value === 0) value = 8;
        if (!enabled && VALID_BPP.has(value)) this.dispi[index] = value;
        return;
      case VBE_DISPI_INDEX_ENABLE:
        this.writeEnable(value);
        return;
      case VBE_DISPI_INDEX_BANK:
        if (value < this.vram.length >>> 16) this.dispi[index] = value;
        return;
      case VBE_DISPI_INDEX_VIRT_WIDTH:
        this.setVirtualWidth(value);
        return;
      case VBE_DISPI_INDEX_X_OFFSET:
      case VBE_DISPI_INDEX_Y_OFFSET:
        this.dispi[index] = value;
        return;
      // VIRT_HEIGHT is derived from the VRAM size; VIDEO_MEMORY_64K is read-only.
    }
  }

  private isEnabled(): boolean {
    return (this.dispi[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_ENABLED) !== 0;
  }

  private writeEnable(value: number): void {
    const turningOn = (value & VBE_DISPI_ENABLED) !== 0 && !this.isEnabled();
    if (turningOn) {
      const xres = this.dispi[VBE_DISPI_INDEX_XRES];
      const yres = this.dispi[VBE_DISPI_INDEX_YRES];
      const pitch = xres * bytesPerPixel(this.dispi[VBE_DISPI_INDEX_BPP]);
      if (xres === 0 || yres === 0 || pitch * yres > this.vram.length) return; // the mode does not fit
      this.dispi[VBE_DISPI_INDEX_VIRT_WIDTH] = xres;
      this.dispi[VBE_DISPI_INDEX_VIRT_HEIGHT] = yres;
      this.dispi[VBE_DISPI_INDEX_X_OFFSET] = 0;
      this.dispi[VBE_DISPI_INDEX_Y_OFFSET] = 0;
      this.dispi[VBE_DISPI_INDEX_BANK] = 0;
      if (!(value & VBE_DISPI_NOCLEARMEM)) this.vram.fill(0);
    }
    this.dispi[VBE_DISPI_INDEX_ENABLE] = value & ENABLE_BITS;
  }

  private setVirtualWidth(width: number): void {
    const pitch = width * bytesPerPixel(this.dispi[VBE_DISPI_INDEX_BPP]);
    if (width < this.dispi[VBE_DISPI_INDEX_XRES] || pitch === 0) return;
    if (pitch * this.dispi[VBE_DISPI_INDEX_YRES] > this.vram.length) return;
    this.dispi[VBE_DISPI_INDEX_VIRT_WIDTH] = width;
    this.dispi[VBE_DISPI_INDEX_VIRT_HEIGHT] = Math.min(0xffff, Math.floor(this.vram.length / pitch));
  }

  // ---- what is on screen -----------------------------------------------------------------

  mode(): VgaMode {
    const bpp = this.dispi[VBE_DISPI_INDEX_BPP];
    const bpx = bytesPerPixel(bpp);
    const virtualWidth = this.dispi[VBE_DISPI_INDEX_VIRT_WIDTH];
    const pitch = virtualWidth * bpx;
    const xOffset = this.dispi[VBE_DISPI_INDEX_X_OFFSET];
    const yOffset = this.dispi[VBE_DISPI_INDEX_Y_OFFSET];
    return {
      enabled: this.isEnabled(),
      linearFramebuffer: (this.dispi[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_LFB_ENABLED) !== 0,
      width: this.dispi[VBE_DISPI_INDEX_XRES],
      height: this.dispi[VBE_DISPI_INDEX_YRES],
      bitsPerPixel: bpp,
      bytesPerPixel: bpx,
      pitch,
      virtualWidth,
      virtualHeight: this.dispi[VBE_DISPI_INDEX_VIRT_HEIGHT],
      xOffset,
      yOffset,
      start: Math.floor(yOffset * pitch + xOffset * bpx),
    };
  }

  /** The raw VRAM bytes of the visible frame: `height` lines of `pitch` bytes from the display start. Empty when disabled. */
  framebufferBytes(): Uint8Array {
    const m = this.mode();
    if (!m.enabled) return new Uint8Array(0);
    const start = Math.min(m.start, this.vram.length);
    return this.vram.subarray(start, Math.min(this.vram.length, start + m.pitch * m.height));
  }

  /** The visible frame as packed 8-bit RGBA (width x height x 4), e.g. for a PNG or a canvas. 4 bpp renders black. */
  toRgba(): Uint8Array {
    const m = this.mode();
    if (!m.enabled) return new Uint8Array(0);
    const out = new Uint8Array(m.width * m.height * 4);
    const eightBitDac = (this.dispi[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC) !== 0;
    const vram = this.vram;
    for (let y = 0; y < m.height; y++) {
      const line = m.start + y * m.pitch;
      for (let x = 0; x < m.width; x++) {
        const at = line + Math.floor(x * m.bytesPerPixel);
        const o = (y * m.width + x) * 4;
        let r = 0, g = 0, b = 0;
        if (at + Math.ceil(m.bytesPerPixel) <= vram.length) {
          switch (m.bitsPerPixel) {
            case 32: case 24: b = vram[at]; g = vram[at + 1]; r = vram[at + 2]; break;
            case 16: {
              const p = vram[at] | (vram[at + 1] << 8);
              r = ((p >> 11) & 0x1f) * 255 / 31; g = ((p >> 5) & 0x3f) * 255 / 63; b = (p & 0x1f) * 255 / 31;
              break;
            }
            case 15: {
              const p = vram[at] | (vram[at + 1] << 8);
              r = ((p >> 10) & 0x1f) * 255 / 31; g = ((p >> 5) & 0x1f) * 255 / 31; b = (p & 0x1f) * 255 / 31;
              break;
            }
            case 8: {
              const i = (vram[at] & this.pelMask) * 3;
              const p = this.palette;
              [r, g, b] = eightBitDac ? [p[i], p[i + 1], p[i + 2]] : [dac6to8(p[i]), dac6to8(p[i + 1]), dac6to8(p[i + 2])];
              break;
            }
          }
        }
        out[o] = Math.round(r); out[o + 1] = Math.round(g); out[o + 2] = Math.round(b); out[o + 3] = 0xff;
      }
    }
    return out;
  }

  // ---- ports -----------------------------------------------------------------------------

  inPort(port: number, width: IoWidth): number {
    if (port === VBE_DISPI_INDEX_PORT) {
      // A 32-bit access covers the index (low word) and data (high word) ports.
      return width === 4 ? (this.dispiIndex | (this.readDispi(this.dispiIndex) << 16)) >>> 0 : this.dispiIndex;
    }
    if (port === VBE_DISPI_DATA_PORT) return this.readDispi(this.dispiIndex);
    return this.readLegacy(port);
  }

  outPort(port: number, width: IoWidth, value: number): void {
    if (port === VBE_DISPI_INDEX_PORT) {
      this.dispiIndex = value & 0xffff;
      if (width === 4) this.writeDispi(this.dispiIndex, value >>> 16);
    } else if (port === VBE_DISPI_DATA_PORT) {
      this.writeDispi(this.dispiIndex, value);
    } else {
      this.writeLegacy(port, value & 0xff);
    }
  }

  private readLegacy(port: number): number {
    switch (port) {
      case 0x3c0: return this.attributeIndex;
      case 0x3c1: return this.attribute[this.attributeIndex & 0x1f];
      case 0x3c2: return 0x00; // input status 0
      case 0x3c4: return this.sequencerIndex;
      case 0x3c5: return this.sequencer[this.sequencerIndex];
      case 0x3c6: return this.pelMask;
      case 0x3c7: return this.dacLastOpWasRead ? 0x03 : 0x00; // DAC state
      case 0x3c8: return this.dacWriteIndex;
      case 0x3c9: return this.readDac();
      case 0x3ca: return this.featureControl;
      case 0x3cc: return this.miscOutput;
      case 0x3ce: return this.graphicsIndex;
      case 0x3cf: return this.graphics[this.graphicsIndex];
      case 0x3d4: return this.crtcIndex;
      case 0x3d5: return this.crtc[this.crtcIndex];
      case 0x3da:
        this.attributeFlipFlopData = false; // reading input status 1 resets the 0x3C0 flip-flop
        return this.inputStatus1();
      default: return 0xff;
    }
  }

  private writeLegacy(port: number, value: number): void {
    switch (port) {
      case 0x3c0:
        if (this.attributeFlipFlopData) this.attribute[this.attributeIndex & 0x1f] = value;
        else this.attributeIndex = value & 0x3f;
        this.attributeFlipFlopData = !this.attributeFlipFlopData;
        return;
      case 0x3c2: this.miscOutput = value; return;
      case 0x3c4: this.sequencerIndex = value; return;
      case 0x3c5: this.sequencer[this.sequencerIndex] = value; return;
      case 0x3c6: this.pelMask = value; return;
      case 0x3c7: this.dacReadIndex = value; this.dacComponent = 0; this.dacLastOpWasRead = true; return;
      case 0x3c8: this.dacWriteIndex = value; this.dacComponent = 0; this.dacLastOpWasRead = false; return;
      case 0x3c9: this.writeDac(value); return;
      case 0x3ce: this.graphicsIndex = value; return;
      case 0x3cf: this.graphics[this.graphicsIndex] = value; return;
      case 0x3d4: this.crtcIndex = value; return;
      case 0x3d5: this.crtc[this.crtcIndex] = value; return;
      case 0x3da: this.featureControl = value; return;
    }
  }

  /** DAC data: R, G, B in turn, then the index advances. */
  private writeDac(value: number): void {
    const eightBit = (this.dispi[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC) !== 0;
    this.palette[this.dacWriteIndex * 3 + this.dacComponent] = eightBit ? value : value & 0x3f;
    if (++this.dacComponent === 3) {
      this.dacComponent = 0;
      this.dacWriteIndex = (this.dacWriteIndex + 1) & 0xff;
    }
  }

  private readDac(): number {
    const value = this.palette[this.dacReadIndex * 3 + this.dacComponent];
    if (++this.dacComponent === 3) {
      this.dacComponent = 0;
      this.dacReadIndex = (this.dacReadIndex + 1) & 0xff;
    }
    return value;
  }

  /**
   * Input status 1: bit 3 vertical retrace, bit 0 display disabled (any blanking). Timing of
   * 640x480 at 60 Hz (525 lines, retrace on lines 490-491, 80% of a line visible), from the TSC.
   */
  private inputStatus1(): number {
    if (!this.clock) return 0x09;
    const frame = this.clock.tscHz / 60;
    const linesPerFrame = 525;
    const position = this.clock.tsc() % frame;
    const line = Math.floor((position / frame) * linesPerFrame);
    const inLine = (position / frame) * linesPerFrame - line;
    const retrace = line >= 490 && line < 492;
    const blank = line >= 480 || inLine >= 0.8;
    return (retrace ? 0x08 : 0) | (blank ? 0x01 : 0);
  }
}
