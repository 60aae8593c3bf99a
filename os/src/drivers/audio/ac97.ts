/*
 * audio_drv's view of one AC'97 controller: codec reset and rate, the PCM-out buffer
 * descriptor list of BDL_ENTRIES entries with one period (PERIOD stereo frames of 16-bit
 * samples) each in a Platform DMA buffer, and refilling it on interrupts. The driver keeps
 * AHEAD entries queued between CIV and LVI; every completed entry is refilled with the next
 * period from `fill` (silence while a client's channel is held back), so no client can make
 * it wait. When no client has a packet the list is not refilled: the card plays out what is
 * queued and halts at its last valid entry, and an idle system gets no more interrupts from
 * it; a client's next packet (data_avail) refills the list, which resumes the card.
 */
import type { Client } from '../../../../base/src/lib/env.js';
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import type { AttachedDmaBuffer } from '../../session/platform/connection.js';
import { PERIOD, SAMPLE_RATE } from '../../session/audio_out/stream.js';
import * as R from './regs.js';

/** Entries queued ahead of the card: ~46 ms of sound at 44.1 kHz. */
export const AHEAD = 4;
export const PERIOD_BYTES = PERIOD * 4;

export interface PortWindow { io: Client<IoPortSession>; base: number }

export class Ac97Card {
  private lvi = 0;
  private chain: Promise<unknown> = Promise.resolve();
  readonly stats = { periods: 0, interrupts: 0, halts: 0, fifoErrors: 0 };

  constructor(
    private readonly nam: PortWindow,
    private readonly nabm: PortWindow,
    /** The list at 0, the entries' buffers after it. */
    private readonly dma: AttachedDmaBuffer,
    /**
     * Writes the next period (PERIOD interleaved stereo frames) into `into`; false if it is
     * silence held for a late channel, which must play before the next is filled.
     */
    private readonly fill: (into: Int16Array) => boolean | void,
    /** Whether some client has a packet to play (else the card may run out and halt). */
    private readonly pending: () => boolean = () => true,
  ) {}

  static dmaBytes(): number {
    return 4096 + R.BDL_ENTRIES * PERIOD_BYTES;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const r = this.chain.then(fn);
    this.chain = r.catch(() => undefined);
    return r;
  }

  private namRead(reg: number): Promise<number> { return this.nam.io.inw(this.nam.base + reg); }
  private namWrite(reg: number, v: number): Promise<void> { return this.nam.io.outw(this.nam.base + reg, v); }
  private in8(reg: number): Promise<number> { return this.nabm.io.inb(this.nabm.base + reg); }
  private in16(reg: number): Promise<number> { return this.nabm.io.inw(this.nabm.base + reg); }
  private out8(reg: number, v: number): Promise<void> { return this.nabm.io.outb(this.nabm.base + reg, v); }
  private out16(reg: number, v: number): Promise<void> { return this.nabm.io.outw(this.nabm.base + reg, v); }

  private buffer(entry: number): Int16Array {
    const at = this.dma.bytes.byteOffset + 4096 + entry * PERIOD_BYTES;
    return new Int16Array(this.dma.bytes.buffer, at, PERIOD * 2);
  }

  /** Codec out of reset, DAC ready, variable rate at 44.1 kHz, volumes at 0 dB. Returns the rate. */
  async init(): Promise<number> {
    await this.nabm.io.outl(this.nabm.base + R.GLOB_CNT, R.GLOB_CNT_COLD);
    for (let polls = 0; !((await this.nabm.io.inl(this.nabm.base + R.GLOB_STA)) & R.GLOB_STA_PCR); polls++) {
      if (polls > 1000) throw new Error('the codec does not become ready (GLOB_STA.PCR stays clear)');
    }
    await this.namWrite(R.NAM_RESET, 0);
    for (let polls = 0; !((await this.namRead(R.NAM_POWERDOWN)) & R.POWERDOWN_DAC_READY); polls++) {
      if (polls > 1000) throw new Error('the codec\'s DAC does not become ready');
    }
    await this.namWrite(R.NAM_MASTER_VOLUME, 0);
    await this.namWrite(R.NAM_PCM_OUT_VOLUME, 0);
    if (!((await this.namRead(R.NAM_EXT_AUDIO_ID)) & R.EXT_VRA)) throw new Error('the codec has no variable rate audio (VRA), so no 44.1 kHz');
    await this.namWrite(R.NAM_EXT_AUDIO_CTRL, R.EXT_VRA);
    await this.namWrite(R.NAM_FRONT_DAC_RATE, SAMPLE_RATE);
    const rate = await this.namRead(R.NAM_FRONT_DAC_RATE);
    if (rate !== SAMPLE_RATE) throw new Error(`the codec runs at ${rate} Hz, not ${SAMPLE_RATE}`);
    return rate;
  }

  /** The list with IOC on every entry, AHEAD periods queued, PCM out running. */
  async start(): Promise<void> {
    await this.out8(R.PO_CR, R.CR_RR);
    for (let polls = 0; (await this.in8(R.PO_CR)) & R.CR_RR; polls++) {
      if (polls > 1000) throw new Error('the PCM-out channel does not leave reset');
    }
    const list = new DataView(this.dma.bytes.buffer, this.dma.bytes.byteOffset, R.BDL_ENTRIES * R.BD_SIZE);
    for (let i = 0; i < R.BDL_ENTRIES; i++) {
      list.setUint32(i * R.BD_SIZE, this.dma.dmaAddr + 4096 + i * PERIOD_BYTES, true);
      list.setUint32(i * R.BD_SIZE + 4, (R.BD_IOC | (PERIOD * 2)) >>> 0, true);
    }
    for (let i = 0; i < AHEAD; i++) this.fill(this.buffer(i));
    this.lvi = AHEAD - 1;
    await this.nabm.io.outl(this.nabm.base + R.PO_BDBAR, this.dma.dmaAddr);
    await this.out8(R.PO_LVI, this.lvi);
    await this.out8(R.PO_CR, R.CR_RPBM | R.CR_IOCE | R.CR_LVBIE | R.CR_FEIE);
  }

  /**
   * Handles the card's status: refills what was played and moves LVI on (which also
   * resumes a card that ran to the end of the list), as long as a client has something to
   * play. Called on interrupts and on data_avail. True if the card had a cause to report.
   */
  interrupt(): Promise<boolean> {
    return this.locked(async () => {
      const sr = await this.in16(R.PO_SR);
      const causes = sr & (R.SR_BCIS | R.SR_LVBCI | R.SR_FIFOE);
      if (causes) await this.out16(R.PO_SR, causes);
      if (sr & R.SR_FIFOE) this.stats.fifoErrors++;
      if (sr & R.SR_LVBCI) this.stats.halts++;
      if (causes) this.stats.interrupts++;
      const civ = (await this.in8(R.PO_CIV)) & 0x1f;
      /* entries still queued: CIV (being played, or played out when halted) .. LVI */
      const halted = (sr & R.SR_CELV) !== 0;
      let queued = halted ? 0 : ((this.lvi - civ + R.BDL_ENTRIES) % R.BDL_ENTRIES) + 1;
      let moved = false;
      while (queued < AHEAD && this.pending()) {
        this.lvi = (this.lvi + 1) % R.BDL_ENTRIES;
        const more = this.fill(this.buffer(this.lvi));
        this.stats.periods++;
        queued++;
        moved = true;
        /* a period held for a late channel is time it gets: the next fill waits for it to play */
        if (more === false) break;
      }
      if (moved) await this.out8(R.PO_LVI, this.lvi);
      return causes !== 0;
    });
  }
}
