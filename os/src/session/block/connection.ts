/*
 * A Block connection with its packet stream's source (Genode's Block::Connection<JOB>):
 * the client submits jobs (read / write / sync / trim of a block range), several in flight
 * at once; each job takes a packet in the bulk buffer, `produce` fills a write's payload
 * there, `consume` reads a read's result from there, and the job's promise settles when
 * the server acknowledged it. Jobs that find no room (bulk buffer or submit queue) wait in
 * FIFO order until acknowledgements free some; ack_avail and ready_to_submit signals drive
 * this, never polling. A read or write larger than the bulk buffer is split into pieces of
 * at most `maxBlockCount` blocks (as Genode's Block::Connection does): the hooks are then
 * called once per piece with the piece's byte offset in the job, and the job succeeds if
 * every piece did.
 *
 *   const block = await BlockConnection.open(env, { txBufSize: 1 << 20 });
 *   const data = await block.read(0, 8);                 // 8 blocks, copied out
 *   await block.write(8, data);
 *   const ok = await block.job({ op: Opcode.SYNC, blockNumber: 0, count: 0 });
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, GenodeError, registerError } from '../../../../base/src/errors.js';
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import { rpcClient, type IpcCaller } from '../../../../base/src/rpc/client.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { PacketStreamSource } from '../../lib/packet_stream/stream.js';
import { OPCODE_NAMES, Opcode, blockPacketCodec, hasPayload, type BlockInfo, type BlockPacket } from './packet.js';
import { BlockSession } from './session.js';

/** A request the server acknowledged with success=false. */
export class BlockError extends GenodeError {}
registerError(BlockError);

export interface BlockOperation { op: Opcode; blockNumber: number; count: number }

export interface JobHooks {
  /**
   * Fills a write's payload in the bulk buffer: `dst` holds the bytes at `offset` of the
   * job's payload (the whole count * blockSize bytes at offset 0 unless the job is split).
   * Returning `false` withdraws the job: its pieces not yet submitted are dropped and the
   * job resolves with false (part_block, when the session the data was to come from closed
   * meanwhile).
   */
  produce?: (dst: Uint8Array, offset: number) => unknown;
  /** Takes a successful read's bytes at `offset` of the job from the bulk buffer before the packet is freed. */
  consume?: (src: Uint8Array, offset: number) => void;
}

interface Job extends JobHooks {
  op: Opcode;
  /** Pieces not yet acknowledged (or dropped). */
  open: number;
  ok: boolean;
  /** A producer returned false: pieces not yet submitted are dropped. */
  withdrawn?: boolean;
  done: (success: boolean) => void;
}

/** One packet's worth of a job: the whole job unless it exceeds the bulk buffer. */
interface Piece { job: Job; blockNumber: number; count: number; offset: number }

/** What the connection did, for benchmarks and tests (Genode's clients count nothing, but a bench must). */
export interface BlockConnectionCounters {
  /** RPCs issued on the session (info, dataspace, signal set-up: none per request). */
  rpcs: number;
  /** packet_avail / ready_to_ack signals submitted to the server. */
  signalsSent: number;
  /** ack_avail / ready_to_submit signals handled. */
  signalsReceived: number;
  /** Packets submitted. */
  packets: number;
}

/** An IPC caller that counts the calls going through it. */
function countingCaller(caller: IpcCaller, counters: BlockConnectionCounters): IpcCaller {
  return {
    call: (dst, fill, take) => { counters.rpcs++; return caller.call(dst, fill, take); },
    invoke: caller.invoke ? (dst, fn, args) => { counters.rpcs++; return caller.invoke!(dst, fn, args); } : undefined,
    release: caller.release ? (cap) => caller.release!(cap) : undefined,
  };
}

export interface BlockConnectionOptions extends ConnectionOptions {
  /** Bytes of the packet stream's dataspace (queues and bulk buffer), donated as RAM quota. */
  txBufSize?: number;
}

export class BlockConnection {
  private readonly pending: Piece[] = [];
  private readonly inFlight = new Map<number, Piece>();
  private nextTag = 1;
  /** Acknowledgements that matched nothing submitted (a misbehaving server). */
  bogusAcks = 0;

  private constructor(
    readonly env: Env,
    readonly connection: Connection<BlockSession>,
    /** The session's client, counting its RPCs in `counters`. */
    readonly session: Client<BlockSession>,
    readonly info: BlockInfo,
    private readonly source: PacketStreamSource<BlockPacket>,
    private readonly handlers: SignalHandler[],
    readonly counters: BlockConnectionCounters,
  ) {}

  static async open(env: Env, opts: BlockConnectionOptions = {}): Promise<BlockConnection> {
    const txBufSize = opts.txBufSize ?? BlockSession.DEFAULT_TX_BUF_SIZE;
    const c = await Connection.open(env, BlockSession, {
      ...opts,
      ramQuota: (opts.ramQuota ?? BlockSession.RAM_QUOTA) + txBufSize,
      args: { ...opts.args, tx_buf_size: txBufSize },
    });
    const counters: BlockConnectionCounters = { rpcs: 0, signalsSent: 0, signalsReceived: 0, packets: 0 };
    const s = rpcClient(BlockSession, c.session.cap, countingCaller(env.runtime.caller, counters));
    const info = await s.info();
    const ds = await s.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const at = await env.attach(ds);
    const source = new PacketStreamSource<BlockPacket>(env.view(at, size), BlockSession.QUEUE_SLOTS, blockPacketCodec, (cap) => {
      counters.signalsSent++;
      return env.submit(cap);
    });
    source.packetAvail.cap = await s.packetAvail();
    source.readyToAck.cap = await s.readyToAck();
    const handlers: SignalHandler[] = [];
    const b = new BlockConnection(env, c, s, info, source, handlers, counters);
    handlers.push(await env.signalHandler(() => b.signalled()));
    handlers.push(await env.signalHandler(() => b.signalled()));
    await s.sighAckAvail(handlers[0].cap);
    await s.sighReadyToSubmit(handlers[1].cap);
    return b;
  }

  /** ack_avail / ready_to_submit signals handled. */
  get triggered(): number {
    return this.counters.signalsReceived;
  }

  /** Packets (jobs or pieces of jobs) submitted and not yet acknowledged. */
  get jobsInFlight(): number {
    return this.inFlight.size;
  }

  /**
   * The largest number of blocks one packet can carry: the bulk buffer's size, less the
   * alignment the server asks for. Larger reads and writes are split into pieces of this size.
   */
  get maxBlockCount(): number {
    const align = 2 ** this.info.alignLog2;
    const { bulkOffset, bulkSize } = this.source.layout;
    const skip = (align - (bulkOffset % align)) % align;
    return Math.max(0, Math.floor((bulkSize - skip) / this.info.blockSize));
  }

  /** Submits a job; resolves with the server's verdict once it (every piece of it) is acknowledged. */
  job(op: BlockOperation, hooks: JobHooks = {}): Promise<boolean> {
    if (OPCODE_NAMES[op.op] === undefined) throw new BadArgument(`unknown block operation ${op.op}`);
    if (!Number.isSafeInteger(op.count) || op.count < 0) throw new BadArgument(`${OPCODE_NAMES[op.op]} of ${op.count} blocks: the count is not a non-negative integer`);
    if (!Number.isSafeInteger(op.blockNumber) || op.blockNumber < 0) throw new BadArgument(`${OPCODE_NAMES[op.op]} at block ${op.blockNumber}: not a non-negative integer`);
    const max = this.maxBlockCount;
    if (hasPayload(op.op) && op.count > 0 && max === 0) {
      throw new BadArgument(`${OPCODE_NAMES[op.op]}: the bulk buffer (${this.source.layout.bulkSize} bytes) cannot hold one block of ${this.info.blockSize} bytes`);
    }
    return new Promise<boolean>((done) => {
      const split = hasPayload(op.op) && op.count > max;
      const job: Job = { op: op.op, ...hooks, open: split ? Math.ceil(op.count / max) : 1, ok: true, done };
      if (!split) {
        this.pending.push({ job, blockNumber: op.blockNumber, count: op.count, offset: 0 });
      } else {
        const bs = this.info.blockSize;
        for (let done = 0; done < op.count; done += max) {
          this.pending.push({ job, blockNumber: op.blockNumber + done, count: Math.min(max, op.count - done), offset: done * bs });
        }
      }
      this.pump();
    });
  }

  async read(blockNumber: number, count: number): Promise<Uint8Array> {
    const out = new Uint8Array(count * this.info.blockSize);
    const ok = await this.job({ op: Opcode.READ, blockNumber, count }, { consume: (src, offset) => { out.set(src, offset); } });
    if (!ok) throw new BlockError(`read of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
    return out;
  }

  async write(blockNumber: number, data: Uint8Array): Promise<void> {
    const count = Math.ceil(data.length / this.info.blockSize);
    const produce = (dst: Uint8Array, offset: number) => {
      dst.fill(0);
      dst.set(data.subarray(offset, offset + dst.length));
    };
    const ok = await this.job({ op: Opcode.WRITE, blockNumber, count }, { produce });
    if (!ok) throw new BlockError(`write of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
  }

  async sync(): Promise<void> {
    if (!(await this.job({ op: Opcode.SYNC, blockNumber: 0, count: this.info.blockCount }))) throw new BlockError('sync failed');
  }

  async trim(blockNumber: number, count: number): Promise<void> {
    if (!(await this.job({ op: Opcode.TRIM, blockNumber, count }))) throw new BlockError(`trim of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
  }

  private signalled(): void {
    this.counters.signalsReceived++;
    this.collectAcks();
    this.pump();
  }

  private collectAcks(): void {
    for (;;) {
      const r = this.source.getAckedPacket(() => { this.bogusAcks++; });
      if (!r) return;
      const { submitted, ack } = r;
      const piece = this.inFlight.get(submitted.tag);
      this.inFlight.delete(submitted.tag);
      if (piece && ack.success && piece.job.ok && piece.job.op === Opcode.READ) {
        piece.job.consume?.(this.source.content(submitted).subarray(0, piece.count * this.info.blockSize), piece.offset);
      }
      this.source.releasePacket(submitted);
      if (piece) this.finishPiece(piece, ack.success === true);
    }
  }

  private finishPiece(piece: Piece, success: boolean): void {
    const job = piece.job;
    if (!success) job.ok = false;
    if (--job.open === 0) job.done(job.ok);
  }

  /** Submits waiting jobs in order while there is room. */
  private pump(): void {
    const bs = this.info.blockSize;
    while (this.pending.length > 0) {
      const piece = this.pending[0];
      const job = piece.job;
      if (job.withdrawn) {
        /* an earlier piece's producer withdrew the job: drop the rest unsent */
        this.pending.shift();
        this.finishPiece(piece, false);
        continue;
      }
      if (!this.source.readyToSubmit()) return;
      const bytes = hasPayload(job.op) ? piece.count * bs : 0;
      const payload = this.source.allocPacket(bytes, this.info.alignLog2);
      if (!payload) return;
      this.pending.shift();
      const tag = this.nextTag;
      this.nextTag = (this.nextTag % 0xffffffff) + 1;
      const p: BlockPacket = { ...payload, op: job.op, blockNumber: piece.blockNumber, count: piece.count, tag, success: false };
      if (job.op === Opcode.WRITE && job.produce?.(this.source.content(p), piece.offset) === false) {
        this.source.releasePacket(p);
        job.withdrawn = true;
        this.finishPiece(piece, false);
        continue;
      }
      this.inFlight.set(tag, piece);
      this.counters.packets++;
      if (!this.source.submitPacket(p)) throw new Error('submit queue full after readyToSubmit');
    }
  }

  async close(): Promise<void> {
    for (const h of this.handlers) await h.dispose();
    await this.connection.close();
  }
}

export type { Capability };
