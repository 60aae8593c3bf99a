/*
 * The driver's view of one Intel 8254x card (Genode's nic driver for the e1000, written for
 * the legacy descriptors): reset, the MAC from the EEPROM, a receive and a transmit ring of
 * RING_SLOTS descriptors with one 2 KiB buffer each in Platform DMA buffers, and interrupt
 * handling. Register traffic runs under one lock so interrupt handling and sends see
 * consistent ring states.
 */
import type { Mmio } from '../../../../base/src/util/mmio.js';
import type { AttachedDmaBuffer } from '../../session/platform/connection.js';
import * as R from './regs.js';

export const RING_SLOTS = 64;
export const BUF_SIZE = 2048;

export interface CardEvents {
  /** A received frame (valid during the call). */
  frame(frame: Uint8Array): void;
  link(up: boolean): void;
}

export class E1000Card {
  private chain: Promise<unknown> = Promise.resolve();
  /** Next rx descriptor the card fills. */
  private rxNext = 0;
  /** Next tx descriptor to use, oldest one in flight. */
  private txTail = 0;
  private txClean = 0;
  private txWaiters: (() => void)[] = [];
  mac = new Uint8Array(6);
  readonly stats = { received: 0, sent: 0, rxErrors: 0 };

  constructor(
    private readonly mmio: Mmio,
    /** Both rings: rx at 0, tx at RING_SLOTS * 16. */
    private readonly rings: AttachedDmaBuffer,
    private readonly rxBufs: AttachedDmaBuffer,
    private readonly txBufs: AttachedDmaBuffer,
    private readonly events: CardEvents,
  ) {}

  static ringBytes(): number {
    return 2 * RING_SLOTS * R.DESC_SIZE;
  }

  private locked<T>(fn: () => Promise<T>): Promise<T> {
    const r = this.chain.then(fn);
    this.chain = r.catch(() => undefined);
    return r;
  }

  private get txRing(): Uint8Array {
    return this.rings.bytes.subarray(RING_SLOTS * R.DESC_SIZE, 2 * RING_SLOTS * R.DESC_SIZE);
  }

  private get rxRing(): Uint8Array {
    return this.rings.bytes.subarray(0, RING_SLOTS * R.DESC_SIZE);
  }

  /** Reset, MAC, rings, receive and transmit on, interrupts unmasked. */
  async init(): Promise<void> {
    const m = this.mmio;
    await m.writeReg(R.IMC, 0xffffffff);
    await m.writeBits(R.CTRL_RST, 1);
    let polls = 0;
    while ((await m.readBits(R.CTRL_RST)) !== 0) {
      if (++polls > 1000) throw new Error('reset did not complete (CTRL.RST stays set)');
    }
    await m.writeReg(R.IMC, 0xffffffff);
    await m.readReg(R.ICR);
    for (let w = 0; w < 3; w++) {
      const word = await this.eepromRead(w);
      this.mac[2 * w] = word & 0xff;
      this.mac[2 * w + 1] = word >> 8;
    }
    const mac = this.mac;
    await m.writeReg(R.RAL0, (mac[0] | (mac[1] << 8) | (mac[2] << 16) | (mac[3] << 24)) >>> 0);
    await m.writeReg(R.RAH0, (mac[4] | (mac[5] << 8) | R.RAH_AV) >>> 0);
    for (let i = 0; i < 128; i++) await m.write32(R.MTA + 4 * i, 0);
    /* receive ring: every descriptor owned by the card but one (RDT == RDH means empty) */
    const rx = new DataView(this.rxRing.buffer, this.rxRing.byteOffset, this.rxRing.length);
    for (let i = 0; i < RING_SLOTS; i++) {
      const addr = this.rxBufs.dmaAddr + i * BUF_SIZE;
      rx.setUint32(i * 16, addr % 2 ** 32, true);
      rx.setUint32(i * 16 + 4, Math.floor(addr / 2 ** 32), true);
      rx.setUint32(i * 16 + 8, 0, true);
      rx.setUint32(i * 16 + 12, 0, true);
    }
    this.txRing.fill(0);
    const rxBase = this.rings.dmaAddr;
    const txBase = this.rings.dmaAddr + RING_SLOTS * R.DESC_SIZE;
    await m.writeReg(R.RDBAL, rxBase % 2 ** 32);
    await m.writeReg(R.RDBAH, Math.floor(rxBase / 2 ** 32));
    await m.writeReg(R.RDLEN, RING_SLOTS * R.DESC_SIZE);
    await m.writeReg(R.RDH, 0);
    await m.writeReg(R.RDT, RING_SLOTS - 1);
    await m.writeReg(R.TDBAL, txBase % 2 ** 32);
    await m.writeReg(R.TDBAH, Math.floor(txBase / 2 ** 32));
    await m.writeReg(R.TDLEN, RING_SLOTS * R.DESC_SIZE);
    await m.writeReg(R.TDH, 0);
    await m.writeReg(R.TDT, 0);
    await m.writeReg(R.TIPG, 0x0060200a);
    await m.writeReg(R.RCTL, R.RCTL_EN | R.RCTL_BAM | R.RCTL_SECRC);
    await m.writeReg(R.TCTL, R.TCTL_EN | R.TCTL_PSP | R.TCTL_CT_COLD);
    await m.writeBits(R.CTRL_SLU, 1);
    await m.writeReg(R.IMS, R.ICR_RXT0 | R.ICR_RXO | R.ICR_TXDW | R.ICR_LSC);
  }

  private async eepromRead(addr: number): Promise<number> {
    await this.mmio.writeReg(R.EERD, (addr << 8) | R.EERD_START);
    for (let polls = 0; polls < 1000; polls++) {
      const v = await this.mmio.readReg(R.EERD);
      if (v & R.EERD_DONE) return v >>> 16;
    }
    throw new Error(`EEPROM read of word ${addr} did not complete`);
  }

  async linkUp(): Promise<boolean> {
    return (await this.mmio.readBits(R.STATUS_LU)) === 1;
  }

  /** Handles the interrupt causes (Genode: the driver's IRQ handler); false if there were none. */
  interrupt(): Promise<boolean> {
    return this.locked(async () => {
      const icr = await this.mmio.readReg(R.ICR);
      if (icr & R.ICR_LSC) this.events.link(await this.linkUp());
      if (icr & (R.ICR_RXT0 | R.ICR_RXO)) await this.harvestRx();
      if (icr & R.ICR_TXDW) this.reclaimTx();
      return icr !== 0;
    });
  }

  /** Passes the frames the card wrote on and gives their descriptors back. */
  private async harvestRx(): Promise<void> {
    const ring = this.rxRing;
    const v = new DataView(ring.buffer, ring.byteOffset, ring.length);
    let last = -1;
    for (let n = 0; n < RING_SLOTS; n++) {
      const at = this.rxNext * R.DESC_SIZE;
      if (!(ring[at + R.RXD_STATUS] & R.RXD_STAT_DD)) break;
      const len = v.getUint16(at + R.RXD_LENGTH, true);
      const eop = ring[at + R.RXD_STATUS] & R.RXD_STAT_EOP;
      if (!eop || ring[at + R.RXD_ERRORS] !== 0 || len > BUF_SIZE) this.stats.rxErrors++;
      else {
        this.stats.received++;
        this.events.frame(this.rxBufs.bytes.subarray(this.rxNext * BUF_SIZE, this.rxNext * BUF_SIZE + len));
      }
      ring[at + R.RXD_STATUS] = 0;
      last = this.rxNext;
      this.rxNext = (this.rxNext + 1) % RING_SLOTS;
    }
    /* the harvested descriptors go back to the card */
    if (last >= 0) await this.mmio.writeReg(R.RDT, last);
  }

  private reclaimTx(): void {
    const ring = this.txRing;
    while (this.txClean !== this.txTail && ring[this.txClean * R.DESC_SIZE + R.TXD_STATUS] & R.TXD_STAT_DD) {
      ring[this.txClean * R.DESC_SIZE + R.TXD_STATUS] = 0;
      this.txClean = (this.txClean + 1) % RING_SLOTS;
    }
    const w = this.txWaiters;
    this.txWaiters = [];
    for (const f of w) f();
  }

  private get txFree(): number {
    return RING_SLOTS - 1 - ((this.txTail - this.txClean + RING_SLOTS) % RING_SLOTS);
  }

  /** Sends one frame, waiting for a free tx descriptor. */
  async send(frame: Uint8Array): Promise<void> {
    while (this.txFree === 0) await new Promise<void>((resolve) => this.txWaiters.push(resolve));
    const slot = this.txTail;
    this.txTail = (slot + 1) % RING_SLOTS;
    this.txBufs.bytes.set(frame, slot * BUF_SIZE);
    const ring = this.txRing;
    const v = new DataView(ring.buffer, ring.byteOffset, ring.length);
    const addr = this.txBufs.dmaAddr + slot * BUF_SIZE;
    const at = slot * R.DESC_SIZE;
    v.setUint32(at, addr % 2 ** 32, true);
    v.setUint32(at + 4, Math.floor(addr / 2 ** 32), true);
    v.setUint16(at + R.TXD_LENGTH, frame.length, true);
    ring[at + 10] = 0;
    ring[at + R.TXD_CMD] = R.TXD_CMD_EOP | R.TXD_CMD_IFCS | R.TXD_CMD_RS;
    ring[at + R.TXD_STATUS] = 0;
    this.stats.sent++;
    const tail = this.txTail;
    await this.locked(() => this.mmio.writeReg(R.TDT, tail));
  }
}
