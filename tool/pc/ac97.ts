/*
 * An Intel 82801AA (ICH) AC'97 audio controller (PCI 8086:2415, class 04/01/00) with a codec,
 * as QEMU's "AC97" presents it (hw/audio/ac97.c), after the Intel ICH AC'97 Programmer's
 * Reference Manual and the AC'97 2.3 specification. What is there:
 *
 * - BAR0, I/O, 256 ports: the codec's mixer registers (NAM), 16 bit each: reset, master and
 *   PCM-out volume, power-down status (ready bits), extended audio ID (VRA) and control,
 *   the front DAC rate (48000 at reset as on real codecs; 8000..48000 while VRA is enabled,
 *   fixed 48000 otherwise), vendor ID (SigmaTel STAC9700, as QEMU).
 * - BAR1, I/O, 64 ports: the bus master (NABM): for each of PCM in (0x00), PCM out (0x10)
 *   and mic in (0x20) BDBAR, CIV, LVI, SR, PICB, PIV, CR; then GLOB_CNT, GLOB_STA, CAS.
 *   Only PCM out plays: the inputs are there and stay halted.
 * - PCM out: a buffer descriptor list of 32 entries (8 bytes: buffer address, length in
 *   16-bit samples, IOC and BUP flags) at BDBAR in physical memory. With CR.RPBM the card
 *   fetches the entry at CIV, plays its frames (16-bit stereo, little-endian) at the DAC
 *   rate in the machine's time, then: BCIS if the entry had IOC; if CIV was LVI, LVBCI,
 *   CELV and DCH (halted) - else CIV = PIV, PIV + 1, the next entry. Writing LVI past CIV
 *   to a halted running channel resumes it (as QEMU). CR.RR resets the channel's registers.
 *   SR's BCIS, LVBCI and FIFOE are cleared by writing ones.
 * - Interrupts: the INTx wire is high while a channel has BCIS with CR.IOCE, LVBCI with
 *   CR.LVBIE or FIFOE with CR.FEIE; GLOB_STA shows which channel (POINT for PCM out).
 * - The card reads an entry's samples as a bus master when it starts playing it (the FIFO
 *   fetch): only with PCI command bit 2 set and only inside RAM. A list or buffer it cannot
 *   reach halts the channel with FIFOE (counted in stats.busErrors), never a host exception.
 *
 * What the card plays goes to the AudioSink (the WAV writer, the live display), together
 * with the TSC at which the frames start, and into a running count and checksum of the
 * frames that are not silent (AudioChecksum), so a scenario can check that the samples a
 * component played reached the card unchanged. The ports are decoded at the addresses the
 * firmware gave the BARs (moving them is not supported).
 */
import type { MachineClock, PhysicalMemory } from '../../base/src/machine.js';
import { AudioChecksum, type AudioSink } from './audio_sink.js';
import { BusMasterFunction } from './bus_master.js';
import { unconnectedLine, type IoWidth, type IrqLine, type PortHandler } from './io.js';
import { COMMAND_IO, PCI_COMMAND, PCI_INTERRUPT_LINE } from './pci.js';
import { cyclesToTicks, ticksToCycles, type TimedDevice } from './tsc.js';

export const AC97_VENDOR = 0x8086;
export const AC97_DEVICE = 0x2415;
export const AC97_CLASS = 0x040100;
export const NAM_SIZE = 256;
export const NABM_SIZE = 64;

/* codec (NAM) registers */
export const NAM_RESET = 0x00;
export const NAM_MASTER_VOLUME = 0x02;
export const NAM_HEADPHONE_VOLUME = 0x04;
export const NAM_PCM_OUT_VOLUME = 0x18;
export const NAM_POWERDOWN = 0x26;
export const NAM_EXT_AUDIO_ID = 0x28;
export const NAM_EXT_AUDIO_CTRL = 0x2a;
export const NAM_FRONT_DAC_RATE = 0x2c;
export const NAM_VENDOR_ID1 = 0x7c;
export const NAM_VENDOR_ID2 = 0x7e;
export const EXT_VRA = 1 << 0;
/** ADC, DAC, analog mixer and reference ready. */
export const POWERDOWN_READY = 0x000f;

/* bus master (NABM) registers, per channel at PI 0x00, PO 0x10, MC 0x20 */
export const PI = 0x00;
export const PO = 0x10;
export const MC = 0x20;
export const BDBAR = 0x0;
export const CIV = 0x4;
export const LVI = 0x5;
export const SR = 0x6;
export const PICB = 0x8;
export const PIV = 0xa;
export const CR = 0xb;
export const GLOB_CNT = 0x2c;
export const GLOB_STA = 0x30;
export const CAS = 0x34;

export const SR_DCH = 1 << 0;
export const SR_CELV = 1 << 1;
export const SR_LVBCI = 1 << 2;
export const SR_BCIS = 1 << 3;
export const SR_FIFOE = 1 << 4;
const SR_WRITE_CLEAR = SR_LVBCI | SR_BCIS | SR_FIFOE;

export const CR_RPBM = 1 << 0;
export const CR_RR = 1 << 1;
export const CR_LVBIE = 1 << 2;
export const CR_FEIE = 1 << 3;
export const CR_IOCE = 1 << 4;
const CR_WRITABLE = CR_RPBM | CR_LVBIE | CR_FEIE | CR_IOCE;

export const GLOB_CNT_GIE = 1 << 0;
export const GLOB_CNT_COLD = 1 << 1;
export const GLOB_CNT_WARM = 1 << 2;
export const GLOB_STA_PIINT = 1 << 5;
export const GLOB_STA_POINT = 1 << 6;
export const GLOB_STA_MINT = 1 << 7;
export const GLOB_STA_PCR = 1 << 8;

export const BDL_ENTRIES = 32;
export const BD_SIZE = 8;
export const BD_IOC = 1 << 15;
export const BD_BUP = 1 << 14;
/** Bytes per stereo frame of 16-bit samples. */
export const FRAME_BYTES = 4;
export const DEFAULT_DAC_RATE = 48000;

interface Channel {
  bdbar: number;
  civ: number;
  lvi: number;
  sr: number;
  piv: number;
  cr: number;
  /** Samples (16-bit) of the current buffer and when it started playing (as if never paused). */
  samples: number;
  startedAt: number;
  /** Samples left of a paused buffer. */
  left: number;
  /** When the current buffer ends (undefined: nothing playing). */
  endsAt: number | undefined;
  ioc: boolean;
}

function freshChannel(): Channel {
  return { bdbar: 0, civ: 0, lvi: 0, sr: SR_DCH, piv: 0, cr: 0, samples: 0, startedAt: 0, left: 0, endsAt: undefined, ioc: false };
}

export class Ac97 extends BusMasterFunction implements TimedDevice {
  private readonly nam = new Uint16Array(NAM_SIZE / 2);
  /** PCM in, PCM out, mic in. */
  private readonly channels: Channel[] = [freshChannel(), freshChannel(), freshChannel()];
  private globCnt = 0;
  private line: IrqLine = unconnectedLine;
  private sink: AudioSink | undefined;
  /** Frames played since power-on and the checksum of the audible ones. */
  readonly played = new AudioChecksum();
  readonly stats = { buffers: 0, frames: 0, busErrors: 0 };

  constructor(memory: PhysicalMemory, readonly clock: MachineClock) {
    super({ vendor: AC97_VENDOR, device: AC97_DEVICE, classCode: AC97_CLASS, revision: 0x01, subsystemVendor: 0x8086, subsystem: 0x0000, interruptPin: 1 }, memory);
    this.defineBar(0, 'io', NAM_SIZE);
    this.defineBar(1, 'io', NABM_SIZE);
    this.codecReset();
  }

  /** Firmware's part: the port BARs, I/O decoding on, the INTx wire to `irq` on `line`. */
  assign(namBase: number, nabmBase: number, irq: number, line: IrqLine): void {
    this.set32(0x10, (namBase & ~0x3) | 1);
    this.set32(0x14, (nabmBase & ~0x3) | 1);
    this.set16(PCI_COMMAND, this.command | COMMAND_IO);
    this.config[PCI_INTERRUPT_LINE] = irq;
    this.line = line;
    this.updateIrq();
  }

  /** Where the played frames go (one sink; undefined: nowhere but the checksum). */
  connect(sink: AudioSink | undefined): void {
    this.sink = sink;
  }

  /** The front DAC rate the card plays at. */
  get sampleRate(): number {
    return this.nam[NAM_FRONT_DAC_RATE >> 1]!;
  }

  /** The handlers of the two port BARs (claimed by the PC at the firmware's addresses). */
  readonly namPorts: PortHandler = {
    inPort: (port, width) => this.readNam(port - this.barAddress(0), width),
    outPort: (port, width, value) => this.writeNam(port - this.barAddress(0), width, value),
  };

  readonly nabmPorts: PortHandler = {
    inPort: (port, width) => this.readNabm(port - this.barAddress(1), width),
    outPort: (port, width, value) => this.writeNabm(port - this.barAddress(1), width, value),
  };

  private get decoding(): boolean {
    return (this.command & COMMAND_IO) !== 0;
  }

  /* ------------------------------------------------------------------ codec */

  private codecReset(): void {
    this.nam.fill(0);
    this.nam[NAM_MASTER_VOLUME >> 1] = 0x8000;
    this.nam[NAM_HEADPHONE_VOLUME >> 1] = 0x8000;
    this.nam[NAM_PCM_OUT_VOLUME >> 1] = 0x8808;
    this.nam[NAM_POWERDOWN >> 1] = POWERDOWN_READY;
    this.nam[NAM_EXT_AUDIO_ID >> 1] = EXT_VRA;
    this.nam[NAM_FRONT_DAC_RATE >> 1] = DEFAULT_DAC_RATE;
    this.nam[NAM_VENDOR_ID1 >> 1] = 0x8384;
    this.nam[NAM_VENDOR_ID2 >> 1] = 0x7600;
  }

  readNam(offset: number, width: IoWidth): number {
    if (!this.decoding) return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
    if (width === 4) return (this.readNam(offset, 2) | (this.readNam(offset + 2, 2) << 16)) >>> 0;
    const word = offset >= 0 && offset < NAM_SIZE ? this.nam[offset >> 1]! : 0xffff;
    return width === 2 ? word : (word >> ((offset & 1) * 8)) & 0xff;
  }

  writeNam(offset: number, width: IoWidth, value: number): void {
    if (!this.decoding || offset < 0 || offset >= NAM_SIZE) return;
    if (width === 4) {
      this.writeNam(offset, 2, value & 0xffff);
      this.writeNam(offset + 2, 2, value >>> 16);
      return;
    }
    const at = offset >> 1;
    const word = width === 2 ? value & 0xffff
      : (this.nam[at]! & ~(0xff << ((offset & 1) * 8))) | ((value & 0xff) << ((offset & 1) * 8));
    switch (at << 1) {
      case NAM_RESET:
        this.codecReset();
        return;
      case NAM_POWERDOWN:
        this.nam[at] = (word & 0xff00) | POWERDOWN_READY; // ready bits are status
        return;
      case NAM_EXT_AUDIO_ID: case NAM_VENDOR_ID1: case NAM_VENDOR_ID2:
        return;
      case NAM_EXT_AUDIO_CTRL:
        this.nam[at] = word & EXT_VRA;
        if (!(word & EXT_VRA)) this.nam[NAM_FRONT_DAC_RATE >> 1] = DEFAULT_DAC_RATE;
        return;
      case NAM_FRONT_DAC_RATE:
        /* without VRA the rate is fixed; with it, the codec takes 8..48 kHz */
        if (this.nam[NAM_EXT_AUDIO_CTRL >> 1]! & EXT_VRA) this.nam[at] = Math.min(48000, Math.max(8000, word));
        return;
      default:
        this.nam[at] = word;
    }
  }

  /* ------------------------------------------------------------------ bus master registers */

  readNabm(offset: number, width: IoWidth): number {
    if (!this.decoding) return width === 4 ? 0xffffffff : width === 2 ? 0xffff : 0xff;
    this.sync(this.clock.tsc());
    if (offset >= 0 && offset < GLOB_CNT) {
      const ch = this.channels[offset >> 4]!;
      const reg = offset & 0xf;
      let value: number;
      switch (reg) {
        case BDBAR: value = ch.bdbar; break;
        case CIV: value = ch.civ | (ch.lvi << 8) | (ch.sr << 16); break;
        case LVI: value = ch.lvi | (ch.sr << 8); break;
        case SR: value = ch.sr | (this.picb(ch) << 16); break;
        case PICB: value = this.picb(ch) | (ch.piv << 16) | (ch.cr << 24); break;
        case PIV: value = ch.piv | (ch.cr << 8); break;
        case CR: value = ch.cr; break;
        default: value = 0;
      }
      return width === 4 ? value >>> 0 : width === 2 ? value & 0xffff : value & 0xff;
    }
    switch (offset) {
      case GLOB_CNT: return width === 4 ? this.globCnt : this.globCnt & (width === 2 ? 0xffff : 0xff);
      case GLOB_STA: return width === 4 ? this.globSta() : this.globSta() & (width === 2 ? 0xffff : 0xff);
      case CAS: return 0; // codec access semaphore: always free (accesses complete at once)
      default: return 0;
    }
  }

  writeNabm(offset: number, width: IoWidth, value: number): void {
    if (!this.decoding) return;
    this.sync(this.clock.tsc());
    if (offset >= 0 && offset < GLOB_CNT) {
      const index = offset >> 4;
      const ch = this.channels[index]!;
      const reg = offset & 0xf;
      if (reg === BDBAR && width === 4) ch.bdbar = value & ~7;
      else if (reg === LVI && width === 1) this.writeLvi(index, value & 0x1f);
      else if (reg === SR && width !== 4) this.writeSr(ch, value & 0xff);
      else if (reg === CR && width === 1) this.writeCr(index, value & 0xff);
      else if (reg === CIV && width === 2) this.writeLvi(index, (value >> 8) & 0x1f); // CIV is read-only
      /* other widths and the read-only registers (CIV, PICB, PIV) are ignored */
      this.updateIrq();
      return;
    }
    if (offset === GLOB_CNT && width === 4) {
      if (!(value & GLOB_CNT_COLD)) {
        /* cold reset asserted: the whole link and codec back to power-on */
        for (let i = 0; i < this.channels.length; i++) this.resetChannel(i);
        this.codecReset();
      }
      this.globCnt = value & 0x3f & ~GLOB_CNT_WARM;
      this.updateIrq();
    }
  }

  private globSta(): number {
    let v = 0;
    if (this.globCnt & GLOB_CNT_COLD) v |= GLOB_STA_PCR;
    if (this.pending(this.channels[0]!)) v |= GLOB_STA_PIINT;
    if (this.pending(this.channels[1]!)) v |= GLOB_STA_POINT;
    if (this.pending(this.channels[2]!)) v |= GLOB_STA_MINT;
    return v;
  }

  private writeSr(ch: Channel, v: number): void {
    ch.sr &= ~(v & SR_WRITE_CLEAR);
  }

  private writeCr(index: number, v: number): void {
    const ch = this.channels[index]!;
    if (v & CR_RR) {
      this.resetChannel(index);
      return;
    }
    const was = ch.cr & CR_RPBM;
    ch.cr = v & CR_WRITABLE;
    if (!(ch.cr & CR_RPBM)) {
      /* paused: the position stays where it is (PICB keeps what is left of the buffer) */
      if (was) this.pause(ch);
      ch.sr |= SR_DCH;
      return;
    }
    if (!was && index === 1) this.run(ch);
  }

  private writeLvi(index: number, lvi: number): void {
    const ch = this.channels[index]!;
    ch.lvi = lvi;
    /* a running channel halted at its last valid entry resumes when the list grows */
    if (index === 1 && (ch.cr & CR_RPBM) && (ch.sr & SR_DCH) && ch.endsAt === undefined && ch.civ !== lvi) {
      ch.civ = ch.piv;
      ch.piv = (ch.piv + 1) % BDL_ENTRIES;
      ch.sr &= ~(SR_DCH | SR_CELV);
      this.fetch(ch, this.now());
    }
  }

  private resetChannel(index: number): void {
    this.channels[index] = freshChannel();
  }

  /* ------------------------------------------------------------------ playing */

  private now(): number {
    return this.clock.tsc();
  }

  private picb(ch: Channel): number {
    if (ch.endsAt === undefined) return ch.left;
    const frames = ch.samples / 2;
    const done = Math.min(frames, cyclesToTicks(this.now() - ch.startedAt, this.clock.tscHz, this.sampleRate));
    return (frames - done) * 2;
  }

  /** Run bit set: start at CIV (a fresh channel) or continue the paused buffer. */
  private run(ch: Channel): void {
    if (ch.left > 0) {
      const frames = ch.samples / 2;
      const left = ch.left / 2;
      ch.sr &= ~SR_DCH;
      ch.startedAt = this.now() - ticksToCycles(frames - left, this.clock.tscHz, this.sampleRate);
      ch.endsAt = this.now() + ticksToCycles(left, this.clock.tscHz, this.sampleRate);
      ch.left = 0;
      return;
    }
    if ((ch.sr & SR_CELV) && ch.civ === ch.lvi) return; // nothing new to play
    if (ch.sr & SR_CELV) {
      ch.civ = ch.piv;
      ch.piv = (ch.piv + 1) % BDL_ENTRIES;
    } else {
      ch.piv = (ch.civ + 1) % BDL_ENTRIES;
    }
    ch.sr &= ~(SR_DCH | SR_CELV);
    this.fetch(ch, this.now());
  }

  private pause(ch: Channel): void {
    if (ch.endsAt === undefined) return;
    ch.left = this.picb(ch);
    ch.endsAt = undefined;
  }

  /** Fetches the entry at CIV, reads its samples (the FIFO fill) and plays them from `at`. */
  private fetch(ch: Channel, at: number): void {
    const bd = this.readPhys(ch.bdbar + ch.civ * BD_SIZE, BD_SIZE);
    if (!bd) return this.busError(ch);
    const v = new DataView(bd.buffer);
    const addr = v.getUint32(0, true) & ~1;
    const control = v.getUint32(4, true);
    const samples = (control & 0xffff) & ~1; // whole stereo frames
    ch.ioc = (control & (BD_IOC << 16)) !== 0;
    const bytes = samples * 2;
    const data = bytes > 0 ? this.readPhys(addr, bytes) : new Uint8Array(0);
    if (!data) return this.busError(ch);
    ch.samples = samples;
    ch.startedAt = at;
    this.stats.buffers++;
    const frames = samples / 2;
    if (frames > 0) {
      const pcm = new Int16Array(data.buffer, 0, samples);
      this.played.add(pcm);
      this.stats.frames += frames;
      this.sink?.play(pcm, this.sampleRate, at);
    }
    /* an empty entry still takes one frame, so a list of them cannot spin without time passing */
    ch.endsAt = at + ticksToCycles(Math.max(1, frames), this.clock.tscHz, this.sampleRate);
  }

  /** The current entry is played out at `at`. */
  private completed(ch: Channel, at: number): void {
    ch.endsAt = undefined;
    ch.left = 0;
    if (ch.ioc) ch.sr |= SR_BCIS;
    if (ch.civ === ch.lvi) {
      ch.sr |= SR_LVBCI | SR_CELV | SR_DCH;
    } else {
      ch.civ = ch.piv;
      ch.piv = (ch.piv + 1) % BDL_ENTRIES;
      this.fetch(ch, at);
    }
    this.updateIrq();
  }

  private busError(ch: Channel): void {
    this.stats.busErrors++;
    ch.endsAt = undefined;
    ch.left = 0;
    ch.sr |= SR_FIFOE | SR_DCH;
    this.updateIrq();
  }

  /* ------------------------------------------------------------------ interrupts and time */

  private pending(ch: Channel): boolean {
    return ((ch.sr & SR_BCIS) !== 0 && (ch.cr & CR_IOCE) !== 0)
      || ((ch.sr & SR_LVBCI) !== 0 && (ch.cr & CR_LVBIE) !== 0)
      || ((ch.sr & SR_FIFOE) !== 0 && (ch.cr & CR_FEIE) !== 0);
  }

  private updateIrq(): void {
    this.line.set(this.irqPending);
  }

  /** Whether the INTx wire is high now. */
  get irqPending(): boolean {
    return this.channels.some((ch) => this.pending(ch));
  }

  /** The PCM-out channel's registers (for tests and the runner). */
  get pcmOut(): Readonly<Channel> {
    return this.channels[1]!;
  }

  sync(tsc: number): void {
    const ch = this.channels[1]!;
    /* at most one list's worth per step, each completion fetching the next entry */
    while (ch.endsAt !== undefined && ch.endsAt <= tsc) this.completed(ch, ch.endsAt);
  }

  nextEventAt(): number | undefined {
    return this.channels[1]!.endsAt;
  }
}
