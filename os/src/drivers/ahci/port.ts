/*
 * One AHCI port with its drive (Genode's Ahci::Port with the Ata::Protocol and
 * Atapi::Protocol): command list, received-FIS area and command tables in one DMA buffer,
 * a data buffer per command slot in another. Requests become commands in a queue; a command
 * takes a free slot (NCQ: READ/WRITE FPDMA QUEUED, up to the drive's queue depth in flight;
 * otherwise one command at a time) and completes on the port's interrupt. The data is
 * copied between the client's packet payload and the slot's DMA buffer (the payload lives
 * in the session's packet-stream dataspace, which has no bus address here).
 *
 * All register traffic of the driver runs under one lock (`Hba.locked`), so issuing and
 * completion handling see consistent PxCI/PxSACT states.
 *
 * Errors: a failed non-queued command is the one PxCMD.CCS names; after a queued command
 * failed, the drive has aborted its whole queue and CCS means nothing, so the driver reads
 * the NCQ Command Error log (READ LOG EXT, log 10h) for the failing tag, as Linux does
 * (ata_eh_read_log_10h). A command the drive does not complete within the command timeout
 * (ticks of a periodic timer) fails, the port is reset (COMRESET) and the other commands
 * are issued again.
 */
import type { Mmio } from '../../../../base/src/util/mmio.js';
import type { AttachedDmaBuffer } from '../../session/platform/connection.js';
import type { BlockInfo } from '../../session/block/packet.js';
import type { BlockDevice } from '../../session/block/root.js';
import * as R from './regs.js';

const hex = (v: number) => `0x${(v >>> 0).toString(16)}`;

/** Bytes of data per command slot; larger requests are split into several commands. */
export const SLOT_DATA = 64 * 1024;
/** Command slots the driver uses per port (at most the HBA's). */
export const MAX_SLOTS = 16;
/** The tables' buffer: command list 1 KiB, received FIS 256 bytes, then 256 bytes of table per slot. */
const CLB = 0x000;
const FB = 0x400;
const CT = 0x800;
const CT_SIZE = 0x100;
const TABLES = CT + CT_SIZE * 32;
/** Register polls before a port operation counts as failed (the emulated HBA reacts at once). */
const POLLS = 1000;
/** Watchdog ticks (a quarter of the command timeout each) a command may stay in flight. */
export const TIMEOUT_TICKS = 4;
/** READ LOG EXT and the NCQ Command Error log's address. */
const ATA_READ_LOG_EXT = 0x2f;
const LOG_NCQ_COMMAND_ERROR = 0x10;

export type Lock = <T>(fn: () => Promise<T>) => Promise<T>;
export type Log = (line: string) => Promise<void>;

export class CommandError extends Error {
  override name = 'AHCI command error';
}

interface CommandSpec {
  what: string;
  /** The H2D FIS (and the ATAPI packet) into the slot's table. */
  fill(fis: Uint8Array, acmd: Uint8Array, slot: number): void;
  bytes: number;
  write: boolean;
  atapi: boolean;
  queued: boolean;
  /** A write's data, copied into the slot's buffer when issued. */
  out?: Uint8Array;
  /** Where a read's data goes on completion. */
  into?: Uint8Array;
}

interface Command extends CommandSpec {
  resolve(): void;
  reject(e: Error): void;
  /** Order of submission: the oldest command in flight is the one a timeout blames. */
  seq: number;
  /** Watchdog ticks since it was issued. */
  ticks: number;
}

/** What the port needs from the driver besides registers and memory. */
export interface PortEnv {
  lock: Lock;
  log: Log;
  /** Sleeps (for the COMRESET's minimum duration). */
  sleep(ms: number): Promise<void>;
  /** A command was issued: the watchdog must be running. */
  busy(): void;
  /** The command timeout in milliseconds (for the log). */
  timeoutMs: number;
}

export interface Identity { model: string; serial: string }

export class Port implements BlockDevice {
  info!: BlockInfo;
  identity: Identity = { model: '', serial: '' };
  atapi = false;
  ncq = false;
  trimSupported = false;
  depth = 1;
  private readonly queue: Command[] = [];
  private readonly inFlight = new Map<number, Command>();
  private exclusive = false;
  private nextSeq = 0;
  readonly stats = { commands: 0, errors: 0, timeouts: 0, maxInFlight: 0 };
  private readonly lock: Lock;
  private readonly log: Log;

  constructor(
    readonly index: number,
    private readonly regs: Mmio,
    private readonly tables: AttachedDmaBuffer,
    private readonly data: AttachedDmaBuffer,
    private readonly slots: number,
    private readonly penv: PortEnv,
  ) {
    this.lock = penv.lock;
    this.log = penv.log;
  }

  /** Whether commands are in flight (the watchdog has something to watch). */
  get active(): boolean {
    return this.inFlight.size > 0;
  }

  static tablesSize(): number { return TABLES; }

  private get mem(): DataView {
    return new DataView(this.tables.bytes.buffer, this.tables.bytes.byteOffset, this.tables.bytes.byteLength);
  }

  private async poll(what: string, cond: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < POLLS; i++) if (await cond()) return;
    throw new CommandError(`port ${this.index}: ${what} timed out`);
  }

  /** Stops the port's command engine (ST off, CR clear). */
  private async stop(): Promise<void> {
    await this.regs.writeBits(R.PXCMD_ST, 0);
    await this.poll('stopping the command list (PxCMD.CR)', async () => (await this.regs.readBits(R.PXCMD_CR)) === 0);
  }

  /** Starts it again, with a command list override when the drive still shows BSY or DRQ. */
  private async start(): Promise<void> {
    await this.regs.writeReg(R.PXSERR, 0xffffffff);
    await this.regs.writeReg(R.PXIS, 0xffffffff);
    if ((await this.regs.readReg(R.PXTFD)) & (R.TFD_BSY | R.TFD_DRQ)) {
      await this.regs.writeBits(R.PXCMD_CLO, 1);
      await this.poll('command list override (PxCMD.CLO)', async () => (await this.regs.readBits(R.PXCMD_CLO)) === 0);
    }
    await this.regs.writeBits(R.PXCMD_ST, 1);
  }

  /** Port setup (Genode's Port::init): stopped, lists in place, FIS receive on, interrupts, started. */
  async init(atapi: boolean): Promise<void> {
    this.atapi = atapi;
    await this.stop();
    await this.regs.writeBits(R.PXCMD_FRE, 0);
    await this.poll('stopping FIS receive (PxCMD.FR)', async () => (await this.regs.readBits(R.PXCMD_FR)) === 0);
    this.tables.bytes.fill(0);
    const base = this.tables.dmaAddr;
    await this.regs.writeReg(R.PXCLB, base + CLB);
    await this.regs.writeReg(R.PXCLBU, 0);
    await this.regs.writeReg(R.PXFB, base + FB);
    await this.regs.writeReg(R.PXFBU, 0);
    await this.regs.writeBits(R.PXCMD_FRE, 1);
    await this.regs.writeBits(R.PXCMD_ATAPI, atapi ? 1 : 0);
    await this.regs.writeReg(R.PXIE, (R.IS_DHRS | R.IS_PSS | R.IS_DSS | R.IS_SDBS | R.IS_DPS | R.IS_ERRORS) >>> 0);
    await this.start();
  }

  /** Takes the port out of service: stopped, no interrupts. */
  async shutdown(): Promise<void> {
    await this.regs.writeReg(R.PXIE, 0);
    await this.stop();
    await this.regs.writeBits(R.PXCMD_FRE, 0);
  }

  /** Learns the drive: IDENTIFY (PACKET) DEVICE, for ATAPI also READ CAPACITY. */
  async identify(): Promise<void> {
    const id = new Uint8Array(512);
    await this.run({ what: this.atapi ? 'IDENTIFY PACKET DEVICE' : 'IDENTIFY DEVICE', bytes: 512, write: false, atapi: false, queued: false, into: id,
      fill: (f) => { f[2] = this.atapi ? 0xa1 : 0xec; } });
    const dv = new DataView(id.buffer);
    const w = (i: number) => dv.getUint16(2 * i, true);
    const str = (from: number, to: number) => {
      let s = '';
      for (let i = from; i <= to; i++) s += String.fromCharCode(w(i) >> 8, w(i) & 0xff);
      return s.replace(/[^\x20-\x7e]/g, '?').trim();
    };
    this.identity = { model: str(27, 46), serial: str(10, 19) };
    if (this.atapi) {
      const cap = new Uint8Array(8);
      await this.run(this.packet('READ CAPACITY', [0x25], 8, cap));
      const cv = new DataView(cap.buffer);
      const last = cv.getUint32(0, false);
      const bs = cv.getUint32(4, false);
      if (bs !== 2048) throw new CommandError(`port ${this.index}: READ CAPACITY reports ${bs}-byte blocks (2048 expected)`);
      this.info = { blockSize: 2048, blockCount: last + 1, alignLog2: 11, writeable: false };
      return;
    }
    const lba48 = (w(83) & (1 << 10)) !== 0;
    const count = lba48 ? w(100) + w(101) * 0x1_0000 + w(102) * 0x1_0000_0000 + w(103) * 0x1_0000_0000_0000 : w(60) + w(61) * 0x1_0000;
    let bs = 512;
    if ((w(106) & 0xc000) === 0x4000 && (w(106) & (1 << 12)) !== 0) bs = 2 * (w(117) + w(118) * 0x1_0000);
    if (bs < 512 || (bs & (bs - 1)) !== 0 || bs > SLOT_DATA) throw new CommandError(`port ${this.index}: IDENTIFY reports a logical block size of ${bs} bytes`);
    if (!Number.isSafeInteger(count) || count === 0) throw new CommandError(`port ${this.index}: IDENTIFY reports ${count} sectors`);
    this.ncq = (w(76) & (1 << 8)) !== 0 && this.slots > 1;
    this.depth = this.ncq ? Math.min(this.slots, (w(75) & 0x1f) + 1) : 1;
    this.trimSupported = (w(169) & 1) !== 0;
    this.info = { blockSize: bs, blockCount: count, alignLog2: Math.min(Math.log2(bs), 12), writeable: true };
  }

  private packet(what: string, cdb: number[], bytes: number, into?: Uint8Array): CommandSpec {
    return { what, bytes, write: false, atapi: true, queued: false, into,
      fill: (f, a) => {
        f[2] = 0xa0; // PACKET
        f[3] = bytes > 0 ? 1 : 0; // DMA data phase
        f[5] = bytes & 0xff; // byte count limit (for PIO)
        f[6] = (bytes >> 8) & 0xff;
        a.set(cdb);
      } };
  }

  /** Queues a command and waits for its completion. */
  private run(spec: CommandSpec): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ...spec, resolve, reject, seq: this.nextSeq++, ticks: 0 });
      void this.lock(() => this.pump());
    });
  }

  /** Issues queued commands while slots are free (under the lock). */
  async pump(): Promise<void> {
    while (this.queue.length > 0) {
      const c = this.queue[0]!;
      if (this.exclusive) return;
      if (!c.queued && this.inFlight.size > 0) return; // a non-queued command waits for the port to drain
      if (c.queued && this.inFlight.size >= this.depth) return;
      let slot = 0;
      while (this.inFlight.has(slot)) slot++;
      this.queue.shift();
      await this.issue(slot, c);
    }
  }

  private async issue(slot: number, c: Command): Promise<void> {
    const mem = this.mem;
    const ct = CT + slot * CT_SIZE;
    const table = this.tables.bytes.subarray(ct, ct + CT_SIZE);
    table.fill(0);
    const fis = table.subarray(0, 20);
    fis[0] = R.FIS_H2D;
    fis[1] = 0x80;
    c.fill(fis, table.subarray(R.CT_ACMD, R.CT_ACMD + 16), slot);
    const dataAt = slot * SLOT_DATA;
    if (c.out) this.data.bytes.set(c.out, dataAt);
    const prds = c.bytes > 0 ? 1 : 0;
    if (prds) {
      mem.setUint32(ct + R.CT_PRDT, this.data.dmaAddr + dataAt, true);
      mem.setUint32(ct + R.CT_PRDT + 4, 0, true);
      mem.setUint32(ct + R.CT_PRDT + 12, ((c.bytes - 1) | R.PRD_I) >>> 0, true);
    }
    const h = CLB + slot * R.HEADER_SIZE;
    mem.setUint32(h, 5 | (c.atapi ? R.HEADER_A : 0) | (c.write ? R.HEADER_W : 0) | (prds << 16), true);
    mem.setUint32(h + 4, 0, true);
    mem.setUint32(h + 8, this.tables.dmaAddr + ct, true);
    mem.setUint32(h + 12, 0, true);
    c.ticks = 0;
    this.inFlight.set(slot, c);
    this.penv.busy();
    if (!c.queued) this.exclusive = true;
    this.stats.commands++;
    this.stats.maxInFlight = Math.max(this.stats.maxInFlight, this.inFlight.size);
    if (c.queued) await this.regs.writeReg(R.PXSACT, 1 << slot);
    await this.regs.writeReg(R.PXCI, 1 << slot);
  }

  /** The port's interrupt (under the lock): completions, or an error and the recovery. */
  async interrupt(): Promise<void> {
    const is = await this.regs.readReg(R.PXIS);
    await this.regs.writeReg(R.PXIS, is);
    if (is & R.IS_ERRORS) {
      await this.recover(is);
    } else {
      const ci = await this.regs.readReg(R.PXCI);
      const sact = await this.regs.readReg(R.PXSACT);
      for (const [slot, c] of [...this.inFlight]) {
        const bit = 1 << slot;
        if ((ci & bit) || (sact & bit)) continue;
        this.complete(slot, c);
      }
    }
    await this.pump();
  }

  private complete(slot: number, c: Command): void {
    this.inFlight.delete(slot);
    if (!c.queued) this.exclusive = false;
    const prdbc = this.mem.getUint32(CLB + slot * R.HEADER_SIZE + 4, true);
    if (c.into) {
      /* queued commands leave PRDBC alone (the count is only updated for non-queued ones) */
      if (!c.queued && c.bytes > 0 && prdbc < c.into.length) {
        c.reject(new CommandError(`${c.what}: ${prdbc} of ${c.into.length} bytes transferred`));
        return;
      }
      c.into.set(this.data.bytes.subarray(slot * SLOT_DATA, slot * SLOT_DATA + c.into.length));
    }
    c.resolve();
  }

  /**
   * Error recovery (AHCI 1.3.1, 6.2.2.1): the failing command (PxCMD.CCS) fails, the port is
   * stopped (which drops every outstanding command), errors cleared, started again, and the
   * other commands that were in flight are issued anew.
   */
  private async recover(is: number): Promise<void> {
    this.stats.errors++;
    const tfd = await this.regs.readReg(R.PXTFD);
    const serr = await this.regs.readReg(R.PXSERR);
    const ccs = await this.regs.readBits(R.PXCMD_CCS);
    /* commands the drive finished before the error (their PxCI and PxSACT bits clear) are done */
    const ci = await this.regs.readReg(R.PXCI);
    const sact = await this.regs.readReg(R.PXSACT);
    for (const [slot, c] of [...this.inFlight]) {
      if (!(ci & (1 << slot)) && !(sact & (1 << slot))) this.complete(slot, c);
    }
    const queued = [...this.inFlight.values()].filter((c) => c.queued).length;
    if (queued > 0 && is & R.IS_TFES) return this.recoverQueued(is, tfd, serr, queued);
    const failing = this.inFlight.has(ccs) ? [ccs] : [...this.inFlight.keys()];
    const names = failing.map((s) => this.inFlight.get(s)!.what).join(', ');
    const kind = is & R.IS_TFES ? 'task file error' : is & R.IS_HBFS ? 'host bus fatal error' : is & R.IS_HBDS ? 'host bus data error' : 'interface fatal error';
    await this.log(`Error: port ${this.index}: ${kind} (PxIS ${hex(is)} TFD ${hex(tfd)} status ${hex(tfd & 0xff)} error ${hex((tfd >> 8) & 0xff)} SERR ${hex(serr)}) in ${names || 'no command'}; port recovered`);
    try {
      await this.stop();
      await this.start();
    } catch (e) {
      await this.log(`Error: port ${this.index}: recovery failed: ${String(e)}`);
    }
    const again: Command[] = [];
    for (const [slot, c] of [...this.inFlight]) {
      this.inFlight.delete(slot);
      if (failing.includes(slot)) c.reject(new CommandError(`${c.what}: ${kind}, error register ${hex((tfd >> 8) & 0xff)}`));
      else again.push(c);
    }
    this.exclusive = false;
    this.queue.unshift(...again);
  }

  /**
   * A queued command failed: the drive aborted all of them. The port is restarted and the
   * first command is READ LOG EXT of the NCQ Command Error log, which names the failing tag
   * (the slot) and ends the drive's error state; that command fails, the others are issued
   * again in their order.
   */
  private async recoverQueued(is: number, tfd: number, serr: number, queued: number): Promise<void> {
    await this.log(`Error: port ${this.index}: task file error (PxIS ${hex(is)} TFD ${hex(tfd)} status ${hex(tfd & 0xff)} error ${hex((tfd >> 8) & 0xff)} SERR ${hex(serr)}) with ${queued} queued command(s) in flight; reading the NCQ error log`);
    try {
      await this.stop();
      await this.start();
    } catch (e) {
      await this.log(`Error: port ${this.index}: recovery failed: ${String(e)}`);
    }
    const suspects = new Map(this.inFlight);
    this.inFlight.clear();
    this.exclusive = false;
    const page = new Uint8Array(512);
    const failAll = (why: string) => {
      for (const c of suspects.values()) c.reject(new CommandError(`${c.what}: ${why}`));
    };
    this.queue.unshift({
      what: 'READ LOG EXT (NCQ Command Error log)', bytes: 512, write: false, atapi: false, queued: false, into: page,
      fill: (f) => { f[2] = ATA_READ_LOG_EXT; f[4] = LOG_NCQ_COMMAND_ERROR; f[7] = 0x40; f[12] = 1; },
      seq: -1, ticks: 0,
      resolve: () => this.ncqLogRead(page, suspects),
      reject: (e) => {
        void this.log(`Error: port ${this.index}: reading the NCQ error log failed (${e.message}); the ${suspects.size} queued command(s) fail`);
        failAll('NCQ error, the error log could not be read');
      },
    });
  }

  /**
   * The NCQ Command Error log page arrived (on the completion, under the lock; synchronous,
   * so the re-queued commands are in place when the interrupt handler issues what waits).
   */
  private ncqLogRead(page: Uint8Array, suspects: Map<number, Command>): void {
    let sum = 0;
    for (const b of page) sum += b;
    const nq = (page[0]! & 0x80) !== 0;
    const tag = page[0]! & 0x1f;
    const failing = sum % 256 === 0 && !nq ? suspects.get(tag) : undefined;
    if (!failing) {
      const why = sum % 256 !== 0 ? 'its checksum is wrong' : nq ? 'it names no queued command (NQ)' : `tag ${tag} was not in flight`;
      void this.log(`Error: port ${this.index}: the NCQ error log is of no use: ${why}; the ${suspects.size} queued command(s) fail`);
      for (const c of suspects.values()) c.reject(new CommandError(`${c.what}: NCQ error, failing command unknown`));
      return;
    }
    const status = page[2]!;
    const error = page[3]!;
    const lba = page[4]! + page[5]! * 0x100 + page[6]! * 0x1_0000 + page[8]! * 0x100_0000 + page[9]! * 2 ** 32 + page[10]! * 2 ** 40;
    const others = [...suspects.entries()].filter(([s]) => s !== tag).map(([, c]) => c).sort((a, b) => a.seq - b.seq);
    void this.log(`Error: port ${this.index}: NCQ error log: tag ${tag} failed (status ${hex(status)} error ${hex(error)}${error & 0x40 ? ' UNC' : error & 0x10 ? ' IDNF' : error & 0x04 ? ' ABRT' : ''} at LBA ${lba}) in ${failing.what}; ${others.length} other queued command(s) issued again`);
    failing.reject(new CommandError(`${failing.what}: task file error, error register ${hex(error)}`));
    this.queue.unshift(...others);
  }

  /**
   * A watchdog tick (under the lock): every command in flight ages; the oldest one that
   * outlived the timeout fails, the port is reset and the others are issued again.
   */
  async tick(): Promise<void> {
    if (this.inFlight.size === 0) return;
    let oldest: [number, Command] | undefined;
    for (const e of this.inFlight) {
      e[1].ticks++;
      if (!oldest || e[1].seq < oldest[1].seq) oldest = e;
    }
    if (!oldest || oldest[1].ticks <= TIMEOUT_TICKS) return;
    const [slot, late] = oldest;
    this.stats.timeouts++;
    const others = [...this.inFlight.entries()].filter(([s]) => s !== slot).map(([, c]) => c).sort((a, b) => a.seq - b.seq);
    this.inFlight.clear();
    this.exclusive = false;
    await this.log(`Error: port ${this.index}: ${late.what} did not complete within ${this.penv.timeoutMs} ms; port reset, ${others.length} other command(s) issued again`);
    try {
      await this.reset();
    } catch (e) {
      await this.log(`Error: port ${this.index}: reset failed: ${String(e)}`);
    }
    late.reject(new CommandError(`${late.what}: no answer within ${this.penv.timeoutMs} ms`));
    this.queue.unshift(...others);
    await this.pump();
  }

  /** COMRESET (AHCI 1.3.1, 10.4.2): the link and the drive reset, then the port set up anew. */
  private async reset(): Promise<void> {
    await this.regs.writeBits(R.PXCMD_ST, 0);
    await this.regs.writeBits(R.PXSCTL_DET, 1);
    await this.penv.sleep(1); /* DET=1 for at least 1 ms */
    await this.regs.writeBits(R.PXSCTL_DET, 0);
    await this.poll('the link after COMRESET (PxSSTS.DET 3)', async () => (await this.regs.readBits(R.PXSSTS_DET)) === 3);
    await this.init(this.atapi);
  }

  /* ---- BlockDevice: requests split into commands of at most SLOT_DATA bytes ---- */

  private async transfer(write: boolean, blockNumber: number, count: number, payload: Uint8Array): Promise<void> {
    const bs = this.info.blockSize;
    const per = SLOT_DATA / bs;
    const parts: Promise<void>[] = [];
    for (let done = 0; done < count; done += per) {
      const n = Math.min(per, count - done);
      const lba = blockNumber + done;
      const chunk = payload.subarray(done * bs, (done + n) * bs);
      if (this.atapi) {
        const cdb = [0x28, 0, (lba >>> 24) & 0xff, (lba >>> 16) & 0xff, (lba >>> 8) & 0xff, lba & 0xff, 0, (n >> 8) & 0xff, n & 0xff];
        parts.push(this.run(this.packet(`READ(10) of ${n} block(s) at ${lba}`, cdb, n * bs, chunk)));
        continue;
      }
      parts.push(this.run({
        what: `${write ? 'WRITE' : 'READ'} ${this.ncq ? 'FPDMA QUEUED' : 'DMA EXT'} of ${n} block(s) at ${lba}`,
        bytes: n * bs, write, atapi: false, queued: this.ncq,
        out: write ? chunk : undefined, into: write ? undefined : chunk,
        fill: (f, _a, slot) => {
          lba48(f, lba);
          if (this.ncq) {
            f[2] = write ? 0x61 : 0x60;
            f[3] = n & 0xff; // sector count in the features registers
            f[11] = (n >> 8) & 0xff;
            f[12] = slot << 3; // the tag
          } else {
            f[2] = write ? 0x35 : 0x25;
            f[12] = n & 0xff;
            f[13] = (n >> 8) & 0xff;
          }
        },
      }));
    }
    const results = await Promise.allSettled(parts);
    const bad = results.find((r) => r.status === 'rejected');
    if (bad) {
      throw (bad as PromiseRejectedResult).reason;
    }
  }

  read(blockNumber: number, count: number, dst: Uint8Array): Promise<void> {
    return this.transfer(false, blockNumber, count, dst);
  }

  write(blockNumber: number, count: number, src: Uint8Array): Promise<void> {
    if (this.atapi) return Promise.reject(new CommandError('the CD is read-only'));
    return this.transfer(true, blockNumber, count, src);
  }

  sync(): Promise<void> {
    if (this.atapi) return Promise.resolve();
    return this.run({ what: 'FLUSH CACHE EXT', bytes: 0, write: false, atapi: false, queued: false, fill: (f) => { f[2] = 0xea; f[7] = 0x40; } });
  }

  /** DATA SET MANAGEMENT with TRIM, if the drive offers it (otherwise a no-op, as trim is a hint). */
  async trim(blockNumber: number, count: number): Promise<void> {
    if (this.atapi || !this.trimSupported) return;
    /* ranges of at most 65535 sectors, 64 per 512-byte block of range entries */
    const perSector = this.info.blockSize / 512;
    let lba = blockNumber * perSector;
    let left = count * perSector;
    while (left > 0) {
      const list = new Uint8Array(512);
      const dv = new DataView(list.buffer);
      const first = lba;
      let entries = 0;
      while (left > 0 && entries < 64) {
        const n = Math.min(left, 0xffff);
        dv.setUint32(entries * 8, lba % 0x1_0000_0000, true);
        dv.setUint16(entries * 8 + 4, Math.floor(lba / 0x1_0000_0000), true);
        dv.setUint16(entries * 8 + 6, n, true);
        lba += n;
        left -= n;
        entries++;
      }
      await this.run({ what: `DATA SET MANAGEMENT (TRIM) from ${first}`, bytes: 512, write: true, atapi: false, queued: false, out: list,
        fill: (f) => { f[2] = 0x06; f[3] = 1; f[7] = 0x40; f[12] = 1; } });
    }
  }
}

function lba48(f: Uint8Array, lba: number): void {
  const lo = lba % 0x1_0000_0000;
  const hi = Math.floor(lba / 0x1_0000_0000);
  f[4] = lo & 0xff;
  f[5] = (lo >>> 8) & 0xff;
  f[6] = (lo >>> 16) & 0xff;
  f[7] = 0x40; // LBA mode
  f[8] = (lo >>> 24) & 0xff;
  f[9] = hi & 0xff;
  f[10] = (hi >>> 8) & 0xff;
}
