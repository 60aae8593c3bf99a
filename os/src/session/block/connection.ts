/*
 * A Block connection with its packet stream's source (Genode's Block::Connection<JOB>):
 * the client submits jobs (read / write / sync / trim of a block range), several in flight
 * at once; each job takes a packet in the bulk buffer, `produce` fills a write's payload
 * there, `consume` reads a read's result from there, and the job's promise settles when
 * the server acknowledged it. Jobs that find no room (bulk buffer or submit queue) wait in
 * FIFO order until acknowledgements free some; ack_avail and ready_to_submit signals drive
 * this, never polling.
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
   * Fills a write's payload in the bulk buffer (count * blockSize bytes). Returning `false`
   * withdraws the job: nothing is submitted and the job resolves with false (part_block,
   * when the session the data was to come from closed meanwhile).
   */
  produce?: (dst: Uint8Array) => unknown;
  /** Takes a successful read's result from the bulk buffer before the packet is freed. */
  consume?: (src: Uint8Array) => void;
}

interface Job extends BlockOperation, JobHooks {
  done: (success: boolean) => void;
}

export interface BlockConnectionOptions extends ConnectionOptions {
  /** Bytes of the packet stream's dataspace (queues and bulk buffer), donated as RAM quota. */
  txBufSize?: number;
}

export class BlockConnection {
  private readonly pending: Job[] = [];
  private readonly inFlight = new Map<number, Job>();
  private nextTag = 1;
  /** Acknowledgements that matched nothing submitted (a misbehaving server). */
  bogusAcks = 0;
  /** ack_avail / ready_to_submit signals handled. */
  triggered = 0;

  private constructor(
    readonly env: Env,
    readonly connection: Connection<BlockSession>,
    readonly info: BlockInfo,
    private readonly source: PacketStreamSource<BlockPacket>,
    private readonly handlers: SignalHandler[],
  ) {}

  static async open(env: Env, opts: BlockConnectionOptions = {}): Promise<BlockConnection> {
    const txBufSize = opts.txBufSize ?? BlockSession.DEFAULT_TX_BUF_SIZE;
    const c = await Connection.open(env, BlockSession, {
      ...opts,
      ramQuota: (opts.ramQuota ?? BlockSession.RAM_QUOTA) + txBufSize,
      args: { ...opts.args, tx_buf_size: txBufSize },
    });
    const s = c.session;
    const info = await s.info();
    const ds = await s.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const at = await env.attach(ds);
    const source = new PacketStreamSource<BlockPacket>(env.view(at, size), BlockSession.QUEUE_SLOTS, blockPacketCodec, (cap) => env.submit(cap));
    source.packetAvail.cap = await s.packetAvail();
    source.readyToAck.cap = await s.readyToAck();
    const handlers: SignalHandler[] = [];
    const b = new BlockConnection(env, c, info, source, handlers);
    handlers.push(await env.signalHandler(() => b.signalled()));
    handlers.push(await env.signalHandler(() => b.signalled()));
    await s.sighAckAvail(handlers[0].cap);
    await s.sighReadyToSubmit(handlers[1].cap);
    return b;
  }

  get session(): Client<BlockSession> {
    return this.connection.session;
  }

  /** Jobs submitted and not yet acknowledged. */
  get jobsInFlight(): number {
    return this.inFlight.size;
  }

  /** The largest number of blocks one job can carry (the bulk buffer's size). */
  get maxBlockCount(): number {
    return Math.floor(this.source.layout.bulkSize / this.info.blockSize);
  }

  /** Submits a job; resolves with the server's verdict once it is acknowledged. */
  job(op: BlockOperation, hooks: JobHooks = {}): Promise<boolean> {
    if (OPCODE_NAMES[op.op] === undefined) throw new BadArgument(`unknown block operation ${op.op}`);
    if (hasPayload(op.op) && op.count > this.maxBlockCount) {
      throw new BadArgument(`${OPCODE_NAMES[op.op]} of ${op.count} blocks exceeds the bulk buffer (${this.maxBlockCount} blocks)`);
    }
    return new Promise<boolean>((done) => {
      this.pending.push({ ...op, ...hooks, done });
      this.pump();
    });
  }

  async read(blockNumber: number, count: number): Promise<Uint8Array> {
    let out = new Uint8Array(0);
    const ok = await this.job({ op: Opcode.READ, blockNumber, count }, { consume: (src) => { out = src.slice(); } });
    if (!ok) throw new BlockError(`read of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
    return out;
  }

  async write(blockNumber: number, data: Uint8Array): Promise<void> {
    const count = Math.ceil(data.length / this.info.blockSize);
    const ok = await this.job({ op: Opcode.WRITE, blockNumber, count }, { produce: (dst) => { dst.fill(0); dst.set(data); } });
    if (!ok) throw new BlockError(`write of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
  }

  async sync(): Promise<void> {
    if (!(await this.job({ op: Opcode.SYNC, blockNumber: 0, count: this.info.blockCount }))) throw new BlockError('sync failed');
  }

  async trim(blockNumber: number, count: number): Promise<void> {
    if (!(await this.job({ op: Opcode.TRIM, blockNumber, count }))) throw new BlockError(`trim of blocks ${blockNumber}..${blockNumber + count - 1} failed`);
  }

  private signalled(): void {
    this.triggered++;
    this.collectAcks();
    this.pump();
  }

  private collectAcks(): void {
    for (;;) {
      const r = this.source.getAckedPacket(() => { this.bogusAcks++; });
      if (!r) return;
      const { submitted, ack } = r;
      const job = this.inFlight.get(submitted.tag);
      this.inFlight.delete(submitted.tag);
      if (job && ack.success && job.op === Opcode.READ) job.consume?.(this.source.content(submitted).subarray(0, job.count * this.info.blockSize));
      this.source.releasePacket(submitted);
      job?.done(ack.success === true);
    }
  }

  /** Submits waiting jobs in order while there is room. */
  private pump(): void {
    const bs = this.info.blockSize;
    while (this.pending.length > 0) {
      if (!this.source.readyToSubmit()) return;
      const job = this.pending[0];
      const bytes = hasPayload(job.op) ? job.count * bs : 0;
      const payload = this.source.allocPacket(bytes, this.info.alignLog2);
      if (!payload) return;
      this.pending.shift();
      const tag = this.nextTag;
      this.nextTag = (this.nextTag % 0xffffffff) + 1;
      const p: BlockPacket = { ...payload, op: job.op, blockNumber: job.blockNumber, count: job.count, tag, success: false };
      if (job.op === Opcode.WRITE && job.produce?.(this.source.content(p)) === false) {
        this.source.releasePacket(p);
        job.done(false);
        continue;
      }
      this.inFlight.set(tag, job);
      if (!this.source.submitPacket(p)) throw new Error('submit queue full after readyToSubmit');
    }
  }

  async close(): Promise<void> {
    for (const h of this.handlers) await h.dispose();
    await this.connection.close();
  }
}

export type { Capability };
