/*
 * The server side of Block sessions (Genode's Block::Request_stream with its Root): a
 * session component is the packet stream's sink; a `BlockDevice` serves the requests.
 * Per wake-up the sink takes a bounded batch of packets (each checked by the packet stream,
 * then by `checkRequest`), serves them and acknowledges them; more work is rescheduled by
 * signalling itself, so a flooding client cannot hold the server in one loop and other
 * sessions get their turn. Descriptors outside the bulk buffer or overlapping a packet in
 * flight are dropped with a log line; requests the device cannot serve (out of range,
 * unaligned, writes to a read-only device) are acknowledged with success=false.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { numberArg } from '../../../../base/src/session/args.js';
import type { XmlNode } from '../../../../base/src/util/xml_node.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { Log } from '../../lib/log.js';
import { KeptCaps } from '../../lib/kept_caps.js';
import { BatchRunner } from '../../lib/packet_stream/batch_runner.js';
import { RefusalLog } from '../../lib/packet_stream/refusal_log.js';
import { PacketStreamSink, streamLayout } from '../../lib/packet_stream/stream.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { OPCODE_NAMES, Opcode, blockPacketCodec, checkRequest, type BlockInfo, type BlockPacket } from './packet.js';
import { BlockSession } from './session.js';

/**
 * What a block server serves: operations on whole blocks (checked before). A device either
 * completes an operation at once (returns nothing: a RAM or ROM device) or returns a promise
 * (a driver: the request is in flight until the hardware completes it, and the session goes
 * on taking and starting further requests meanwhile). A rejected promise acknowledges the
 * request with success=false; the device logs why. A read's `dst` and a write's `src` are the
 * packet's payload in the bulk buffer, valid until the promise settles.
 */
export interface BlockDevice {
  readonly info: BlockInfo;
  read(blockNumber: number, count: number, dst: Uint8Array): void | Promise<void>;
  write(blockNumber: number, count: number, src: Uint8Array): void | Promise<void>;
  sync(): void | Promise<void>;
  trim(blockNumber: number, count: number): void | Promise<void>;
}

/** The device for a new session (by its label and arguments), or an exception refusing it. */
export type BlockDeviceSelector = (ctx: SessionContext) => BlockDevice;

/** Packets taken per wake-up (then the session signals itself for the rest). */
export const BATCH = 64;
/** Refusals logged one by one per session; after that, summaries at powers of two. */
const LOGGED_REFUSALS = 32;
export const MAX_TX_BUF_SIZE = 64 * 1024 * 1024;

export interface BlockSessionStats { served: number; failed: number; dropped: number; batches: number }

export class BlockSessionComponent implements BlockSession {
  private sink!: PacketStreamSink<BlockPacket>;
  private availHandler: SignalHandler | undefined;
  private ackHandler: SignalHandler | undefined;
  private readonly kept: KeptCaps;
  private readonly runner = new BatchRunner(() => this.batch());
  private readonly refusals: RefusalLog;
  private closed = false;
  /** Requests the device has not completed yet (asynchronous devices). */
  private readonly pending = new Set<Promise<void>>();
  readonly stats: BlockSessionStats = { served: 0, failed: 0, dropped: 0, batches: 0 };

  private constructor(
    private readonly env: Env,
    private readonly device: BlockDevice,
    readonly label: string,
    private readonly buffer: SessionDataspace,
    private readonly log: Log,
  ) {
    this.kept = new KeptCaps(env, 8);
    this.refusals = new RefusalLog(label, LOGGED_REFUSALS);
  }

  static async create(env: Env, device: BlockDevice, ctx: SessionContext, log: Log): Promise<BlockSessionComponent> {
    const size = numberArg(ctx.args, 'tx_buf_size', BlockSession.DEFAULT_TX_BUF_SIZE);
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_TX_BUF_SIZE) throw new BadArgument(`Block session "${ctx.label}": tx_buf_size=${size} is out of range (1..${MAX_TX_BUF_SIZE})`);
    streamLayout(Math.ceil(size / 4096) * 4096, BlockSession.QUEUE_SLOTS, blockPacketCodec); // throws if too small
    ctx.quota.caps.withdraw(2); // the two signal contexts
    /* the stream's dataspace is paid from the client's donation (InsufficientRamQuota otherwise) */
    const buffer = await SessionDataspace.create(env, ctx.quota, size);
    const s = new BlockSessionComponent(env, device, ctx.label, buffer, log);
    try {
      s.sink = new PacketStreamSink(buffer.bytes, BlockSession.QUEUE_SLOTS, blockPacketCodec, (cap) => env.submit(cap));
      s.availHandler = await env.signalHandler(() => s.wake());
      s.ackHandler = await env.signalHandler(() => s.wake());
    } catch (e) {
      /* nothing of a session that was not created stays behind */
      await s.availHandler?.dispose();
      await buffer.destroy();
      throw e;
    }
    return s;
  }

  info = async (): Promise<BlockInfo> => ({ ...this.device.info });
  dataspace = async (): Promise<Capability<Dataspace>> => this.buffer.ds;
  packetAvail = async (): Promise<Capability<SignalContext>> => this.availHandler!.cap;
  readyToAck = async (): Promise<Capability<SignalContext>> => this.ackHandler!.cap;

  sighReadyToSubmit = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.sink.readyToSubmit.cap = sigh;
  };

  sighAckAvail = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.kept.keep(sigh);
    this.sink.ackAvail.cap = sigh;
    /* acknowledgements may be waiting already (Genode's register_rx_ready_cap) */
    if (this.sink.inFlightCount === 0) this.wake();
  };

  private wake(): Promise<void> | void {
    return this.runner.wake();
  }

  private refuse(what: string): void {
    this.refusals.refuse(what);
  }

  private async batch(): Promise<void> {
    this.refusals.queueState(this.sink.queueProblem());
    const info = this.device.info;
    const packets = this.sink.takePackets(BATCH, (d, why) => {
      this.stats.dropped++;
      this.refuse(`packet (dropped): ${why}`);
      void d;
    });
    if (packets.length > 0) this.stats.batches++;
    for (const p of packets) {
      const why = checkRequest(p, info);
      if (why) {
        p.success = false;
        this.stats.failed++;
        this.refuse(`request (tag ${p.tag}): ${why}`);
      } else {
        const r = this.serve(p);
        if (r) {
          this.track(p, r);
          continue;
        }
        p.success = true;
        this.stats.served++;
      }
      if (!this.sink.ackPacket(p)) this.refuse(`to acknowledge tag ${p.tag}: the ack queue is broken`);
    }
    await this.refusals.flush(this.log);
    /* more to do: come back through the signal queue instead of looping here */
    if (this.sink.packetAvail() && this.sink.capacity() > 0 && !this.closed) await this.env.submit(this.availHandler!.cap);
  }

  private serve(p: BlockPacket): void | Promise<void> {
    const bs = this.device.info.blockSize;
    switch (p.op) {
      case Opcode.READ: return this.device.read(p.blockNumber, p.count, this.sink.content(p).subarray(0, p.count * bs));
      case Opcode.WRITE: return this.device.write(p.blockNumber, p.count, this.sink.content(p).subarray(0, p.count * bs));
      case Opcode.SYNC: return this.device.sync();
      case Opcode.TRIM: return this.device.trim(p.blockNumber, p.count);
      default: throw new Error(`unchecked operation ${OPCODE_NAMES[p.op] ?? p.op}`);
    }
  }

  /** An asynchronous request: acknowledged when the device completes it, in completion order. */
  private track(p: BlockPacket, r: Promise<void>): void {
    const done = r.then(() => true, () => false).then(async (ok) => {
      this.pending.delete(done);
      if (this.closed) return;
      p.success = ok;
      if (ok) this.stats.served++;
      else this.stats.failed++;
      if (!this.sink.ackPacket(p)) this.refuse(`to acknowledge tag ${p.tag}: the ack queue is broken`);
      /* the ack slot is free again: packets left waiting for capacity may go on */
      if (this.sink.packetAvail()) void this.wake();
      await this.refusals.flush(this.log);
    });
    this.pending.add(done);
  }

  async destroy(): Promise<void> {
    this.closed = true;
    /* the batch and the device may still touch the bulk buffer: wait for them before freeing it */
    await this.runner.stop();
    await Promise.all([...this.pending]);
    await this.availHandler?.dispose();
    await this.ackHandler?.dispose();
    this.kept.releaseAll();
    await this.buffer.destroy();
  }
}

/** A Root for Block sessions to one device (Genode's Block::Root). */
export class BlockRoot extends RootComponent<BlockSession> {
  readonly sessions = new Set<BlockSessionComponent>();

  /** One device for every session, or a selector choosing one per session (a driver's policy). */
  constructor(env: Env, private readonly device: BlockDevice | BlockDeviceSelector, private readonly log: Log) {
    super(env, BlockSession, BlockSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<BlockSession> {
    const device = typeof this.device === 'function' ? this.device(ctx) : this.device;
    const s = await BlockSessionComponent.create(this.env, device, ctx, this.log);
    this.sessions.add(s);
    return s;
  }

  protected override async destroySession(session: BlockSession): Promise<void> {
    const s = session as BlockSessionComponent;
    this.sessions.delete(s);
    await s.destroy();
  }
}

/** A server's block_size attribute: a power of two (512 if absent). */
export function blockSizeOf(c: XmlNode, fallback = 512): number {
  const bs = c.numberAttr('block_size', fallback, 1 << 20);
  if (bs < 1 || (bs & (bs - 1)) !== 0) throw c.error(`block_size="${bs}" is not a power of two`);
  return bs;
}

/** The payload alignment a server asks for: the block size, at most a page. */
export function alignLog2Of(blockSize: number): number {
  return Math.min(Math.log2(blockSize), 12);
}

