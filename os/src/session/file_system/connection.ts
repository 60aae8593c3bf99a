/*
 * A File_system connection with its packet stream's source (Genode's File_system::Connection
 * plus the libc's packet handling): RPCs for handles and nodes, and promise-based reads and
 * writes through the packet stream. Requests larger than the bulk buffer allows are split
 * into chunks. Each watch keeps one CONTENT_CHANGED packet at the server (see session.ts)
 * and calls its callback whenever the server acknowledges it.
 *
 *   const fs = await FileSystemConnection.open(env, { label: 'data', txBufSize: 1 << 16 });
 *   const root = await fs.session.dir('/', false);
 *   const f = await fs.session.file(root, 'a.txt', FsMode.READ_WRITE, true);
 *   await fs.write(f, 0, bytes);
 *   const back = await fs.read(f, 0, bytes.length);
 *   const w = await fs.watch('/a.txt', () => log('changed'));
 */
import { BadArgument, GenodeError, registerError } from '../../../../base/src/errors.js';
import { Connection, type ConnectionOptions } from '../../../../base/src/lib/connection.js';
import type { Client, Env } from '../../../../base/src/lib/env.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import { PacketStreamSource } from '../../lib/packet_stream/stream.js';
import { DIRENT_SIZE, FS_OPCODE_NAMES, FsOpcode, SEEK_TAIL, fsPacketCodec, readDirEntry, type FsDirEntry, type FsPacket } from './packet.js';
import { FileSystemSession } from './session.js';

/** A packet the server acknowledged with success=false. */
export class FsPacketFailed extends GenodeError {}
registerError(FsPacketFailed);

export interface FileSystemConnectionOptions extends ConnectionOptions {
  /** Bytes of the packet stream's dataspace, donated as RAM quota. */
  txBufSize?: number;
  /** RAM donated beyond the session state and the stream: what handles, nodes and stored bytes cost. */
  storageQuota?: number;
}

interface Job {
  op: FsOpcode;
  handle: number;
  position: number;
  length: number;
  data?: Uint8Array;
  done: (r: { success: boolean; length: number; data?: Uint8Array }) => void;
}

/** Largest chunk of one READ or WRITE packet. */
const MAX_CHUNK = 32 * 1024;

export class FileSystemConnection {
  private readonly pending: Job[] = [];
  private readonly inFlight = new Map<number, Job>();
  private readonly watches = new Map<number, () => void>();
  private nextTag = 1;
  /** Acknowledgements that matched nothing submitted (a misbehaving server). */
  bogusAcks = 0;

  private constructor(
    readonly env: Env,
    readonly connection: Connection<FileSystemSession>,
    private readonly source: PacketStreamSource<FsPacket>,
    private readonly handlers: SignalHandler[],
  ) {}

  static async open(env: Env, opts: FileSystemConnectionOptions = {}): Promise<FileSystemConnection> {
    const txBufSize = opts.txBufSize ?? FileSystemSession.DEFAULT_TX_BUF_SIZE;
    const c = await Connection.open(env, FileSystemSession, {
      ...opts,
      ramQuota: (opts.ramQuota ?? FileSystemSession.RAM_QUOTA) + txBufSize + (opts.storageQuota ?? 0),
      args: { ...opts.args, tx_buf_size: txBufSize },
    });
    const s = c.session;
    const ds = await s.dataspace();
    const size = await env.rpc(Dataspace, ds).size();
    const at = await env.attach(ds);
    const source = new PacketStreamSource<FsPacket>(env.view(at, size), FileSystemSession.QUEUE_SLOTS, fsPacketCodec, (cap) => env.submit(cap));
    source.packetAvail.cap = await s.packetAvail();
    source.readyToAck.cap = await s.readyToAck();
    const handlers: SignalHandler[] = [];
    const f = new FileSystemConnection(env, c, source, handlers);
    handlers.push(await env.signalHandler(() => f.signalled()));
    handlers.push(await env.signalHandler(() => f.signalled()));
    await s.sighAckAvail(handlers[0].cap);
    await s.sighReadyToSubmit(handlers[1].cap);
    return f;
  }

  get session(): Client<FileSystemSession> {
    return this.connection.session;
  }

  /** Requests submitted and not yet acknowledged (held watch packets included). */
  get packetsInFlight(): number {
    return this.inFlight.size;
  }

  private job(j: Omit<Job, 'done'>): Promise<{ success: boolean; length: number; data?: Uint8Array }> {
    return new Promise((done) => {
      this.pending.push({ ...j, done });
      this.pump();
    });
  }

  private chunk(): number {
    return Math.min(MAX_CHUNK, Math.floor(this.source.layout.bulkSize / 2));
  }

  /** Up to `length` bytes at `position` (fewer at the end of the file). */
  async read(handle: number, position: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(position) || position < 0) throw new BadArgument(`read at position ${position}`);
    if (!Number.isSafeInteger(length) || length < 0) throw new BadArgument(`read of ${length} bytes`);
    const parts: Uint8Array[] = [];
    let total = 0;
    while (total < length) {
      const n = Math.min(this.chunk(), length - total);
      const r = await this.job({ op: FsOpcode.READ, handle, position: position + total, length: n });
      if (!r.success) throw new FsPacketFailed(`READ of ${n} bytes at ${position + total} (handle ${handle}) failed`);
      parts.push(r.data!);
      total += r.data!.length;
      if (r.data!.length < n) break;
    }
    const out = new Uint8Array(total);
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }

  /** Writes `data` at `position` (SEEK_TAIL: appends); the bytes written. */
  async write(handle: number, position: number, data: Uint8Array): Promise<number> {
    if (position !== SEEK_TAIL && (!Number.isSafeInteger(position) || position < 0)) throw new BadArgument(`write at position ${position}`);
    let done = 0;
    do {
      const n = Math.min(this.chunk(), data.length - done);
      const pos = position === SEEK_TAIL ? SEEK_TAIL : position + done;
      const r = await this.job({ op: FsOpcode.WRITE, handle, position: pos, length: n, data: data.subarray(done, done + n) });
      if (!r.success) throw new FsPacketFailed(`WRITE of ${n} bytes at ${pos === SEEK_TAIL ? 'the end' : pos} (handle ${handle}) failed`);
      done += r.length;
      if (r.length < n) break;
    } while (done < data.length);
    return done;
  }

  /** Every entry of a directory handle (READs of DIRENT_SIZE records until one comes back short). */
  async readdir(dir: number): Promise<FsDirEntry[]> {
    const out: FsDirEntry[] = [];
    const per = Math.max(1, Math.floor(this.chunk() / DIRENT_SIZE));
    for (let index = 0; ; index += per) {
      const r = await this.job({ op: FsOpcode.READ, handle: dir, position: index * DIRENT_SIZE, length: per * DIRENT_SIZE });
      if (!r.success) throw new FsPacketFailed(`READ of directory entries from ${index} (handle ${dir}) failed`);
      const bytes = r.data!;
      for (let at = 0; at + DIRENT_SIZE <= bytes.length; at += DIRENT_SIZE) out.push(readDirEntry(bytes.subarray(at, at + DIRENT_SIZE)));
      if (bytes.length < per * DIRENT_SIZE) return out;
    }
  }

  /** The directory's entry `index`, or null past the last one. */
  async readDirEntry(dir: number, index: number): Promise<FsDirEntry | null> {
    if (!Number.isSafeInteger(index) || index < 0) throw new BadArgument(`directory entry index ${index}`);
    const r = await this.job({ op: FsOpcode.READ, handle: dir, position: index * DIRENT_SIZE, length: DIRENT_SIZE });
    if (!r.success) throw new FsPacketFailed(`READ of directory entry ${index} (handle ${dir}) failed`);
    return r.data!.length < DIRENT_SIZE ? null : readDirEntry(r.data!);
  }

  async sync(handle: number): Promise<void> {
    const r = await this.job({ op: FsOpcode.SYNC, handle, position: 0, length: 0 });
    if (!r.success) throw new FsPacketFailed(`SYNC of handle ${handle} failed`);
  }

  /** Resolves once the handle is read-ready (at once for ordinary files). */
  async readReady(handle: number): Promise<void> {
    const r = await this.job({ op: FsOpcode.READ_READY, handle, position: 0, length: 0 });
    if (!r.success) throw new FsPacketFailed(`READ_READY of handle ${handle} failed`);
  }

  /** Watches a node: `onChange` runs after each change until `unwatch`. Returns the watch handle. */
  async watch(path: string, onChange: () => void): Promise<number> {
    const handle = await this.session.watch(path);
    this.watches.set(handle, onChange);
    this.armWatch(handle);
    return handle;
  }

  private armWatch(handle: number): void {
    void this.job({ op: FsOpcode.CONTENT_CHANGED, handle, position: 0, length: 0 }).then((r) => {
      const cb = this.watches.get(handle);
      if (!cb) return;
      if (!r.success) {
        this.watches.delete(handle);
        return;
      }
      this.armWatch(handle);
      cb();
    });
  }

  /** Ends a watch (the server acknowledges its held packet with success=false). */
  async unwatch(handle: number): Promise<void> {
    this.watches.delete(handle);
    await this.session.close(handle);
  }

  private signalled(): void {
    this.collectAcks();
    this.pump();
  }

  private collectAcks(): void {
    for (;;) {
      const r = this.source.getAckedPacket(() => { this.bogusAcks++; });
      if (!r) return;
      const { submitted, ack } = r;
      /* payload-less packets match the oldest payload-less one in flight: find the job by its tag */
      const job = this.inFlight.get(ack.tag);
      const payload = job !== undefined && (job.op === FsOpcode.READ || job.op === FsOpcode.WRITE) && job.length > 0;
      /* a payload packet must come back as itself; a payload-less one may match any payload-less one */
      const bad = !job || job.op !== ack.op || (submitted.size > 0 ? submitted.tag !== ack.tag : payload);
      let data: Uint8Array | undefined;
      let length = 0;
      if (!bad && ack.success && (job.op === FsOpcode.READ || job.op === FsOpcode.WRITE)) {
        /* the server says how much it did; never believe more than was asked */
        length = Number.isSafeInteger(ack.length) && ack.length >= 0 ? Math.min(ack.length, job.length) : 0;
        if (job.op === FsOpcode.READ) data = this.source.content(submitted).slice(0, length);
      }
      this.source.releasePacket(submitted);
      if (bad) {
        this.bogusAcks++;
        continue;
      }
      this.inFlight.delete(ack.tag);
      job.done({ success: ack.success === true, length, data });
    }
  }

  /** Submits waiting jobs in order while there is room. */
  private pump(): void {
    while (this.pending.length > 0) {
      if (!this.source.readyToSubmit()) return;
      const job = this.pending[0];
      const bytes = job.op === FsOpcode.READ || job.op === FsOpcode.WRITE ? job.length : 0;
      const payload = this.source.allocPacket(bytes);
      if (!payload) return;
      this.pending.shift();
      const tag = this.nextTag;
      this.nextTag = (this.nextTag % 0xffffffff) + 1;
      const p: FsPacket = { ...payload, op: job.op, handle: job.handle, position: job.position, length: job.length, tag, success: false };
      if (job.op === FsOpcode.WRITE && job.data) this.source.content(p).set(job.data);
      this.inFlight.set(tag, job);
      if (!this.source.submitPacket(p)) throw new Error(`submit queue full after readyToSubmit (${FS_OPCODE_NAMES[job.op]})`);
    }
  }

  async close(): Promise<void> {
    for (const h of this.handlers) await h.dispose();
    await this.connection.close();
  }
}
