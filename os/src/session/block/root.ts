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
import { PacketStreamSink, streamLayout } from '../../lib/packet_stream/stream.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { OPCODE_NAMES, Opcode, blockPacketCodec, checkRequest, hasPayload, type BlockInfo, type BlockPacket } from './packet.js';
import { BlockSession } from './session.js';

/** What a block server serves: synchronous operations on whole blocks (checked before). */
export interface BlockDevice {
  readonly info: BlockInfo;
  read(blockNumber: number, count: number, dst: Uint8Array): void;
  write(blockNumber: number, count: number, src: Uint8Array): void;
  sync(): void;
  trim(blockNumber: number, count: number): void;
}

/**
 * A device that serves requests asynchronously (part_block: a client of another Block
 * session). `submit` gets a checked request; the packet is acknowledged when the promise
 * settles (true: success), in any order, so several requests are in flight at once. The
 * payload is reached through `payload()`, which returns undefined once the session is
 * closed (its buffer is gone): read results must be copied in only through it.
 */
export interface AsyncBlockDevice {
  readonly info: BlockInfo;
  submit(op: Opcode, blockNumber: number, count: number, payload: () => Uint8Array | undefined): Promise<boolean>;
}

export type AnyBlockDevice = BlockDevice | AsyncBlockDevice;

const isAsync = (d: AnyBlockDevice): d is AsyncBlockDevice => 'submit' in d;

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
  private kept: Capability<unknown>[] = [];
  private running = false;
  private again = false;
  private refusals = 0;
  private lastProblem: string | undefined;
  private closed = false;
  readonly stats: BlockSessionStats = { served: 0, failed: 0, dropped: 0, batches: 0 };

  private constructor(
    private readonly env: Env,
    private readonly device: AnyBlockDevice,
    readonly label: string,
    private readonly buffer: SessionDataspace,
    private readonly log: Log,
  ) {}

  static async create(env: Env, device: AnyBlockDevice, ctx: SessionContext, log: Log): Promise<BlockSessionComponent> {
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
    this.keep(sigh);
    this.sink.readyToSubmit.cap = sigh;
  };

  sighAckAvail = async (sigh: Capability<SignalContext>): Promise<void> => {
    this.keep(sigh);
    this.sink.ackAvail.cap = sigh;
    /* acknowledgements may be waiting already (Genode's register_rx_ready_cap) */
    if (this.sink.inFlightCount === 0) this.wake();
  };

  private keep(cap: Capability<unknown>): void {
    if (this.kept.length >= 8) this.env.ep.release(this.kept.shift());
    this.kept.push(cap);
  }

  private wake(): Promise<void> | void {
    if (this.closed) return;
    if (this.running) {
      this.again = true;
      return;
    }
    return this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        await this.batch();
      } while (this.again && !this.closed);
    } finally {
      this.running = false;
    }
  }

  private pendingLog: string[] = [];

  private refuse(what: string): void {
    this.refusals++;
    if (this.refusals <= LOGGED_REFUSALS) this.pendingLog.push(`Warning: "${this.label}": refused ${what}`);
    else if ((this.refusals & (this.refusals - 1)) === 0) this.pendingLog.push(`Warning: "${this.label}": ${this.refusals} refusals so far`);
  }

  private async batch(): Promise<void> {
    const problem = this.sink.queueProblem();
    if (problem !== this.lastProblem) {
      if (problem) this.pendingLog.push(`Warning: "${this.label}": stream stalled: ${problem}`);
      else this.pendingLog.push(`"${this.label}": stream usable again`);
      this.lastProblem = problem;
    }
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
      } else if (isAsync(this.device)) {
        this.serveAsync(this.device, p);
        continue;
      } else {
        this.serve(p);
        p.success = true;
        this.stats.served++;
      }
      if (!this.sink.ackPacket(p)) this.refuse(`to acknowledge tag ${p.tag}: the ack queue is broken`);
    }
    if (this.pendingLog.length > 0) {
      const lines = this.pendingLog;
      this.pendingLog = [];
      for (const l of lines) await this.log(l);
    }
    /* more to do: come back through the signal queue instead of looping here */
    if (this.sink.packetAvail() && this.sink.capacity() > 0 && !this.closed) await this.env.submit(this.availHandler!.cap);
  }

  /** Acknowledges when the device is done, then takes more packets (capacity was freed). */
  private serveAsync(device: AsyncBlockDevice, p: BlockPacket): void {
    const bs = this.device.info.blockSize;
    const payload = () => (this.closed ? undefined : hasPayload(p.op) ? this.sink.content(p).subarray(0, p.count * bs) : new Uint8Array(0));
    const done = (ok: boolean, why?: string) => {
      if (this.closed) return;
      p.success = ok;
      if (ok) this.stats.served++;
      else {
        this.stats.failed++;
        this.refuse(`request (tag ${p.tag}): ${why ?? `${OPCODE_NAMES[p.op]} failed on the device`}`);
      }
      if (!this.sink.ackPacket(p)) this.refuse(`to acknowledge tag ${p.tag}: the ack queue is broken`);
      void this.wake();
    };
    device.submit(p.op, p.blockNumber, p.count, payload).then((ok) => done(ok), (e: unknown) => done(false, e instanceof Error ? e.message : String(e)));
  }

  private serve(p: BlockPacket): void {
    const bs = this.device.info.blockSize;
    if (isAsync(this.device)) throw new Error('serve() of an asynchronous device');
    switch (p.op) {
      case Opcode.READ: this.device.read(p.blockNumber, p.count, this.sink.content(p).subarray(0, p.count * bs)); break;
      case Opcode.WRITE: this.device.write(p.blockNumber, p.count, this.sink.content(p).subarray(0, p.count * bs)); break;
      case Opcode.SYNC: this.device.sync(); break;
      case Opcode.TRIM: this.device.trim(p.blockNumber, p.count); break;
      default: throw new Error(`unchecked operation ${OPCODE_NAMES[p.op] ?? p.op}`);
    }
  }

  async destroy(): Promise<void> {
    this.closed = true;
    await this.availHandler?.dispose();
    await this.ackHandler?.dispose();
    for (const c of this.kept) this.env.ep.release(c);
    this.kept = [];
    await this.buffer.destroy();
  }
}

/** A Root for Block sessions to one device (Genode's Block::Root). */
export class BlockRoot extends RootComponent<BlockSession> {
  readonly sessions = new Set<BlockSessionComponent>();

  constructor(env: Env, private readonly device: BlockDevice, private readonly log: Log) {
    super(env, BlockSession, BlockSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<BlockSession> {
    const s = await BlockSessionComponent.create(this.env, this.device, ctx, this.log);
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

