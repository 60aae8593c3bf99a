/*
 * One File_system session of the vfs server (Genode's Vfs_server::Session_component): the
 * session's handles (numeric ids into a per-session table), its root directory within the
 * VFS (no path or name can leave it), its `writeable` policy, its packet stream's sink and
 * its share of the storage ledger.
 *
 * Every RPC checks its handles (unknown, closed or of the wrong kind: InvalidHandle), names
 * (empty, ".", "..", containing '/' or a control character: InvalidName; too long:
 * NameTooLong) and paths (not absolute or with a "." / ".." element: InvalidName) before
 * anything reaches the VFS; refusals are logged with the session's label. Packets are
 * checked by the packet stream (payload within the buffer) and by checkFsPacket (fields),
 * then against the handle (kind, mode); refused ones are acknowledged with success=false.
 * Each wake-up serves a bounded batch and reschedules itself through the signal queue, so
 * one flooding client does not hold the server.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, OutOfRam } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import type { SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalHandler } from '../../../../base/src/lib/signal.js';
import { numberArg } from '../../../../base/src/session/args.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { clip } from '../../../../base/src/util/clip.js';
import { utf8Length } from '../../../../base/src/util/utf8.js';
import type { Log } from '../../lib/log.js';
import { KeptCaps } from '../../lib/kept_caps.js';
import { BatchRunner } from '../../lib/packet_stream/batch_runner.js';
import { RefusalLog } from '../../lib/packet_stream/refusal_log.js';
import { PacketStreamSink, streamLayout } from '../../lib/packet_stream/stream.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { joinPath } from '../../lib/vfs/path.js';
import { OpenMode, VfsError, type FileSystem, type NodeType, type Stat, type VfsHandle, type VfsWatchHandle } from '../../lib/vfs/file_system.js';
import {
  InvalidHandle, InvalidName, LookupFailed, NameTooLong, NoSpace, NodeAlreadyExists, NotEmpty, OutOfCaps,
  PermissionDenied, Unavailable,
} from '../../session/file_system/errors.js';
import {
  DIRENT_SIZE, FS_OPCODE_NAMES, FsNodeType, FsOpcode, MAX_NAME_LEN, MAX_PATH_LEN, SEEK_TAIL, checkFsPacket,
  fsPacketCodec, rwxBits, writeDirEntry, type FsPacket, type FsStatus,
} from '../../session/file_system/packet.js';
import { FileSystemSession, FsMode } from '../../session/file_system/session.js';
import type { Account, StorageLedger } from './storage_ledger.js';

export interface FsPolicy {
  /** The session's root within the VFS (normalized, absolute). */
  root: string;
  writeable: boolean;
}

/** What the donation pays per open handle and per node the session creates (beyond its name). */
export const HANDLE_COST = 256;
export const NODE_COST = 256;
/** Handles one session may hold open at once. */
export const MAX_HANDLES = 64;
/** Packets taken per wake-up. */
export const BATCH = 32;
export const MAX_TX_BUF_SIZE = 16 * 1024 * 1024;
/** Refusals logged one by one per session; after that, summaries at powers of two. */
const LOGGED_REFUSALS = 64;

type Kind = 'file' | 'dir' | 'symlink' | 'node' | 'watch';

interface OpenNode {
  kind: Kind;
  /** VFS path. */
  path: string;
  mode: FsMode;
  vfs?: VfsHandle;
  watch?: VfsWatchHandle;
  /** The watch's CONTENT_CHANGED packet the client left with us. */
  held?: FsPacket;
  /** A change happened while no packet was held. */
  changed?: boolean;
}

const NODE_TYPES: Record<NodeType, FsNodeType> = {
  directory: FsNodeType.DIRECTORY,
  symlink: FsNodeType.SYMLINK,
  continuous_file: FsNodeType.CONTINUOUS_FILE,
  transactional_file: FsNodeType.TRANSACTIONAL_FILE,
};

/** A VFS error as the File_system exception of the same meaning. */
export function fsErrorOf(e: unknown): Error {
  if (!(e instanceof VfsError)) return e instanceof Error ? e : new Unavailable(String(e));
  const text = e.message;
  switch (e.code) {
    case 'NO_ENTRY': return new LookupFailed(text);
    case 'NO_PERM': case 'CROSS_FS': return new PermissionDenied(text);
    case 'EXISTS': return new NodeAlreadyExists(text);
    case 'NOT_EMPTY': return new NotEmpty(text);
    case 'NAME_TOO_LONG': return new NameTooLong(text);
    case 'NO_SPACE': return new NoSpace(text);
    case 'OUT_OF_RAM': return new OutOfRam(text);
    case 'OUT_OF_CAPS': return new OutOfCaps(text);
    case 'INVALID': return new InvalidName(text);
    default: return new Unavailable(text);
  }
}

export class FsSessionComponent implements FileSystemSession {
  private sink!: PacketStreamSink<FsPacket>;
  private availHandler: SignalHandler | undefined;
  private ackHandler: SignalHandler | undefined;
  private readonly kept: KeptCaps;
  private readonly nodes = new Map<number, OpenNode>();
  private nextId = 1;
  /** The batches of packets (destroy waits for the running one: it may still write into the buffer). */
  private readonly runner = new BatchRunner(() => this.batch());
  private closed = false;
  private readonly refusals: RefusalLog;
  readonly account: Account;

  private constructor(
    private readonly env: Env,
    private readonly fs: FileSystem,
    private readonly policy: FsPolicy,
    private readonly ctx: SessionContext,
    private readonly buffer: SessionDataspace,
    private readonly ledger: StorageLedger,
    private readonly log: Log,
  ) {
    this.account = { label: ctx.label, ram: ctx.quota.ram };
    this.kept = new KeptCaps(env, 8);
    this.refusals = new RefusalLog(ctx.label, LOGGED_REFUSALS);
  }

  get label(): string {
    return this.ctx.label;
  }

  static async create(env: Env, fs: FileSystem, policy: FsPolicy, ctx: SessionContext, ledger: StorageLedger, log: Log): Promise<FsSessionComponent> {
    const size = numberArg(ctx.args, 'tx_buf_size', FileSystemSession.DEFAULT_TX_BUF_SIZE);
    if (!Number.isSafeInteger(size) || size <= 0 || size > MAX_TX_BUF_SIZE) throw new BadArgument(`File_system session "${ctx.label}": tx_buf_size=${size} is out of range (1..${MAX_TX_BUF_SIZE})`);
    streamLayout(Math.ceil(size / 4096) * 4096, FileSystemSession.QUEUE_SLOTS, fsPacketCodec); // throws if too small
    ctx.quota.caps.withdraw(2); // the two signal contexts
    const buffer = await SessionDataspace.create(env, ctx.quota, size);
    const s = new FsSessionComponent(env, fs, policy, ctx, buffer, ledger, log);
    try {
      s.sink = new PacketStreamSink(buffer.bytes, FileSystemSession.QUEUE_SLOTS, fsPacketCodec, (cap) => env.submit(cap));
      s.availHandler = await env.signalHandler(() => s.wake());
      s.ackHandler = await env.signalHandler(() => s.wake());
    } catch (e) {
      await s.availHandler?.dispose();
      await buffer.destroy();
      throw e;
    }
    return s;
  }

  /* ------------------------------------------------------------ refusals */

  private refuse(what: string): void {
    this.refusals.refuse(what);
  }

  private flushLog(): Promise<void> {
    return this.refusals.flush(this.log);
  }

  /** Runs an RPC; a refusal is logged (naming the call) and thrown to the client. */
  private async call<T>(what: () => string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (e) {
      const err = fsErrorOf(e);
      /* a failed lookup is how clients probe for a node: not worth a log line */
      if (err instanceof LookupFailed) throw err;
      this.refuse(`${what()}: ${err.name}${err.message ? `: ${err.message}` : ''}`);
      await this.flushLog();
      throw err;
    }
  }

  /* ------------------------------------------------------------ names, paths, handles */

  private checkName(name: string): void {
    if (name === '' || name === '.' || name === '..' || name.includes('/')) throw new InvalidName(`"${clip(name)}" is not a name (empty, "." or "..", or contains "/")`);
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) throw new InvalidName(`"${clip(name)}" contains a control character`);
    if (utf8Length(name) > MAX_NAME_LEN) throw new NameTooLong(`name of ${utf8Length(name)} bytes (at most ${MAX_NAME_LEN})`);
  }

  /** The VFS path of a session path: absolute, no "." or ".." element, below the session's root. */
  private vfsPath(path: string): string {
    if (utf8Length(path) > MAX_PATH_LEN) throw new NameTooLong(`path of ${utf8Length(path)} bytes (at most ${MAX_PATH_LEN})`);
    if (!path.startsWith('/')) throw new InvalidName(`path "${clip(path)}" is not absolute`);
    const parts = path.split('/').filter((p) => p !== '');
    for (const p of parts) {
      if (p === '.' || p === '..') throw new InvalidName(`path "${clip(path)}" has a "${p}" element`);
      this.checkName(p);
    }
    const rel = parts.join('/');
    if (rel === '') return this.policy.root;
    return this.policy.root === '/' ? `/${rel}` : `${this.policy.root}/${rel}`;
  }

  /** The session's view of a VFS path (for messages: never shows what lies above the root). */
  private shown(vfsPath: string): string {
    if (this.policy.root === '/') return vfsPath;
    return vfsPath === this.policy.root ? '/' : vfsPath.slice(this.policy.root.length);
  }

  private lookup(id: number, ...kinds: Kind[]): OpenNode {
    const n = Number.isSafeInteger(id) ? this.nodes.get(id) : undefined;
    if (!n) throw new InvalidHandle(`handle ${id} is not open`);
    if (kinds.length > 0 && !kinds.includes(n.kind)) throw new InvalidHandle(`handle ${id} is a ${n.kind} handle, not a ${kinds.join(' or ')} handle`);
    return n;
  }

  private writeable(what: string): void {
    if (!this.policy.writeable) throw new PermissionDenied(`${what}: the session is read-only`);
  }

  private reserved = 0;

  /**
   * Opens a handle: its slot and cost are reserved first (handles being opened count
   * towards the limit too, so concurrent RPCs cannot overshoot it) and given back if
   * opening fails.
   */
  private async opening(make: () => Promise<OpenNode>): Promise<number> {
    if (this.nodes.size + this.reserved >= MAX_HANDLES) throw new OutOfRam(`${MAX_HANDLES} handles open, the most one session may hold`);
    this.ctx.quota.ram.withdraw(HANDLE_COST);
    this.reserved++;
    try {
      const n = await make();
      if (this.closed) {
        /* the session closed while the VFS opened it: nothing may stay behind */
        await this.release(n);
        throw new InvalidHandle('the session is closed');
      }
      return this.add(n);
    } catch (e) {
      this.ctx.quota.ram.replenish(HANDLE_COST);
      throw e;
    } finally {
      this.reserved--;
    }
  }

  private add(n: OpenNode): number {
    while (this.nodes.has(this.nextId)) this.nextId = (this.nextId % 0x7fffffff) + 1;
    const id = this.nextId;
    this.nextId = (this.nextId % 0x7fffffff) + 1;
    this.nodes.set(id, n);
    return id;
  }

  private async exists(path: string): Promise<boolean> {
    return (await this.fs.leafPath(path)) !== null;
  }

  /** Creates a node through `make`, charging its cost first (and giving it back if that fails). */
  private async creating<T>(path: string, make: () => Promise<T>): Promise<T> {
    const undo = this.ledger.charge(this.account, path, 'node', NODE_COST + utf8Length(path));
    try {
      return await make();
    } catch (e) {
      undo();
      throw e;
    }
  }

  /* ------------------------------------------------------------ RPCs */

  file = (dir: number, name: string, mode: number, create: boolean): Promise<number> =>
    this.call(() => `file(${dir}, "${clip(name)}", mode ${mode}${create ? ', create' : ''})`, async () => {
      const d = this.lookup(dir, 'dir');
      this.checkName(name);
      if (!Number.isInteger(mode) || FsMode[mode] === undefined) throw new InvalidName(`mode ${mode} is not a File_system mode`);
      if (create || mode === FsMode.WRITE_ONLY || mode === FsMode.READ_WRITE) this.writeable(`opening "${this.shown(joinPath(d.path, name))}" for writing`);
      const path = joinPath(d.path, name);
      const vfsMode = (mode === FsMode.WRITE_ONLY ? OpenMode.WRONLY : mode === FsMode.READ_WRITE ? OpenMode.RDWR : OpenMode.RDONLY) | (create ? OpenMode.CREATE : 0);
      return this.opening(async () => {
        const h = create ? await this.creating(path, () => this.fs.open(path, vfsMode)) : await this.fs.open(path, vfsMode);
        return { kind: 'file', path, mode, vfs: h };
      });
    });

  symlink = (dir: number, name: string, create: boolean): Promise<number> =>
    this.call(() => `symlink(${dir}, "${clip(name)}"${create ? ', create' : ''})`, async () => {
      const d = this.lookup(dir, 'dir');
      this.checkName(name);
      if (create) this.writeable(`creating symlink "${clip(name)}"`);
      const path = joinPath(d.path, name);
      return this.opening(async () => {
        const h = create ? await this.creating(path, () => this.fs.openlink(path, true)) : await this.fs.openlink(path, false);
        return { kind: 'symlink', path, mode: this.policy.writeable ? FsMode.READ_WRITE : FsMode.READ_ONLY, vfs: h };
      });
    });

  dir = (path: string, create: boolean): Promise<number> =>
    this.call(() => `dir("${clip(path)}"${create ? ', create' : ''})`, async () => {
      const p = this.vfsPath(path);
      if (create) {
        this.writeable(`creating directory "${clip(path)}"`);
        if (p === this.policy.root) throw new NodeAlreadyExists('the root directory exists');
      }
      return this.opening(async () => {
        const h = create ? await this.creating(p, () => this.fs.opendir(p, true)) : await this.fs.opendir(p, false);
        return { kind: 'dir', path: p, mode: FsMode.READ_ONLY, vfs: h };
      });
    });

  node = (path: string): Promise<number> =>
    this.call(() => `node("${clip(path)}")`, async () => {
      const p = this.vfsPath(path);
      return this.opening(async () => {
        if (!(await this.exists(p))) throw new LookupFailed(`"${clip(path)}" does not exist`);
        return { kind: 'node', path: p, mode: FsMode.STAT_ONLY };
      });
    });

  watch = (path: string): Promise<number> =>
    this.call(() => `watch("${clip(path)}")`, async () => {
      const p = this.vfsPath(path);
      return this.opening(async () => {
        const n: OpenNode = { kind: 'watch', path: p, mode: FsMode.STAT_ONLY };
        try {
          n.watch = await this.fs.watch(p, () => this.changed(n));
        } catch (e) {
          if (e instanceof VfsError && e.code === 'UNSUPPORTED') throw new Unavailable(`"${clip(path)}" cannot be watched (${e.message})`);
          throw e;
        }
        return n;
      });
    });

  close = (handle: number): Promise<void> =>
    this.call(() => `close(${handle})`, async () => {
      const n = this.lookup(handle);
      this.nodes.delete(handle);
      this.ctx.quota.ram.replenish(HANDLE_COST);
      await this.release(n);
    });

  private async release(n: OpenNode): Promise<void> {
    if (n.watch) this.fs.closeWatch(n.watch);
    if (n.held) {
      const p = n.held;
      n.held = undefined;
      p.success = false;
      this.ack(p);
    }
    if (n.vfs) await this.fs.close(n.vfs);
  }

  status = (handle: number): Promise<FsStatus> =>
    this.call(() => `status(${handle})`, async () => {
      const n = this.lookup(handle);
      return statusOf(await this.fs.stat(n.path));
    });

  numEntries = (dir: number): Promise<number> =>
    this.call(() => `numEntries(${dir})`, async () => this.fs.numDirent(this.lookup(dir, 'dir').path));

  unlink = (dir: number, name: string): Promise<void> =>
    this.call(() => `unlink(${dir}, "${clip(name)}")`, async () => {
      const d = this.lookup(dir, 'dir');
      this.checkName(name);
      this.writeable(`unlinking "${clip(name)}"`);
      const path = joinPath(d.path, name);
      await this.fs.unlink(path);
      this.ledger.release(path);
    });

  truncate = (file: number, size: number): Promise<void> =>
    this.call(() => `truncate(${file}, ${size})`, async () => {
      const n = this.lookup(file, 'file');
      if (n.mode !== FsMode.WRITE_ONLY && n.mode !== FsMode.READ_WRITE) throw new PermissionDenied(`handle ${file} is not open for writing`);
      if (!Number.isSafeInteger(size) || size < 0) throw new InvalidName(`size ${size} is not a byte count`);
      const before = (await this.fs.stat(n.path)).size;
      const undo = this.ledger.charge(this.account, n.path, 'bytes', Math.max(0, size - before));
      try {
        await this.fs.ftruncate(n.vfs!, size);
      } catch (e) {
        undo();
        throw e;
      }
      this.ledger.shrink(n.path, size);
    });

  move = (fromDir: number, fromName: string, toDir: number, toName: string): Promise<void> =>
    this.call(() => `move(${fromDir}, "${clip(fromName)}", ${toDir}, "${clip(toName)}")`, async () => {
      const f = this.lookup(fromDir, 'dir');
      const t = this.lookup(toDir, 'dir');
      this.checkName(fromName);
      this.checkName(toName);
      this.writeable(`moving "${clip(fromName)}"`);
      const from = joinPath(f.path, fromName);
      const to = joinPath(t.path, toName);
      await this.fs.rename(from, to);
      this.ledger.move(from, to);
    });

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
    if (this.sink.inFlightCount === 0) void this.wake();
  };

  /* ------------------------------------------------------------ watches */

  private changed(n: OpenNode): void {
    if (this.closed) return;
    if (!n.held) {
      n.changed = true;
      return;
    }
    const p = n.held;
    n.held = undefined;
    p.success = true;
    this.ack(p);
  }

  /* ------------------------------------------------------------ packets */

  private ack(p: FsPacket): void {
    if (this.closed) return;
    if (!this.sink.ackPacket(p)) this.refuse(`to acknowledge ${FS_OPCODE_NAMES[p.op]} (tag ${p.tag}): the ack queue is broken`);
  }

  private wake(): Promise<void> | void {
    return this.runner.wake();
  }

  private async batch(): Promise<void> {
    this.refusals.queueState(this.sink.queueProblem());
    const packets = this.sink.takePackets(BATCH, (_d, why) => this.refuse(`packet (dropped): ${why}`));
    for (const p of packets) {
      if (this.closed) return;
      let why = checkFsPacket(p);
      if (!why) {
        try {
          if (await this.serve(p)) continue; // held (a watch, a READ_READY that waits)
          p.success = true;
        } catch (e) {
          const err = fsErrorOf(e);
          why = `${err.name}${err.message ? `: ${err.message}` : ''}`;
        }
      }
      if (why) {
        p.success = false;
        p.length = 0;
        this.refuse(`${FS_OPCODE_NAMES[p.op] ?? `operation ${p.op}`} packet (handle ${p.handle}, tag ${p.tag}): ${why}`);
      }
      this.ack(p);
    }
    await this.flushLog();
    if (this.sink.packetAvail() && this.sink.capacity() > 0 && !this.closed) await this.env.submit(this.availHandler!.cap);
  }

  /** Serves a checked packet; true if it is held to be acknowledged later. */
  private async serve(p: FsPacket): Promise<boolean> {
    switch (p.op) {
      case FsOpcode.READ: {
        const n = this.lookup(p.handle, 'file', 'dir', 'symlink');
        if (n.kind === 'dir') return this.readDir(n, p);
        if (n.mode === FsMode.STAT_ONLY || n.mode === FsMode.WRITE_ONLY) throw new PermissionDenied(`handle ${p.handle} is not open for reading`);
        n.vfs!.seek = p.position;
        const data = await this.fs.read(n.vfs!, p.length);
        this.sink.content(p).set(data.subarray(0, p.length));
        p.length = Math.min(data.length, p.length);
        return false;
      }
      case FsOpcode.WRITE: {
        const n = this.lookup(p.handle, 'file', 'symlink');
        if (n.mode !== FsMode.WRITE_ONLY && n.mode !== FsMode.READ_WRITE) throw new PermissionDenied(`handle ${p.handle} is not open for writing`);
        if (n.kind === 'symlink') this.writeable('setting a symlink');
        const before = (await this.fs.stat(n.path)).size;
        const position = p.position === SEEK_TAIL ? before : p.position;
        /* a symlink's target is replaced as a whole: what it stores is the new target */
        const growth = n.kind === 'file' ? Math.max(0, position + p.length - before) : Math.max(0, p.length - before);
        const undo = this.ledger.charge(this.account, n.path, 'bytes', growth);
        n.vfs!.seek = position;
        let written: number;
        try {
          written = await this.fs.write(n.vfs!, this.sink.content(p).subarray(0, p.length));
        } catch (e) {
          undo();
          throw e;
        }
        /* a short write grew the file less than charged; a shorter target frees the rest */
        if (n.kind === 'file') undo(growth - Math.max(0, position + written - before));
        else this.ledger.shrink(n.path, written);
        p.length = written;
        return false;
      }
      case FsOpcode.CONTENT_CHANGED: {
        const n = this.lookup(p.handle, 'watch');
        if (n.held) throw new InvalidHandle(`watch handle ${p.handle} has a CONTENT_CHANGED packet already`);
        if (n.changed) {
          n.changed = false;
          return false;
        }
        n.held = p;
        return true;
      }
      case FsOpcode.READ_READY: {
        const n = this.lookup(p.handle, 'file');
        if (this.fs.readReady(n.vfs!)) return false;
        this.fs.notifyReadReady(n.vfs!, () => {
          if (this.nodes.get(p.handle) !== n) return;
          p.success = true;
          this.ack(p);
        });
        return true;
      }
      case FsOpcode.SYNC: {
        const n = this.lookup(p.handle);
        if (n.vfs) await this.fs.sync(n.vfs);
        return false;
      }
      case FsOpcode.WRITE_TIMESTAMP:
        this.lookup(p.handle, 'file');
        throw new Unavailable('the VFS has no modification times to set');
      default:
        throw new Unavailable(`operation ${p.op}`);
    }
  }

  private async readDir(n: OpenNode, p: FsPacket): Promise<boolean> {
    if (p.position % DIRENT_SIZE !== 0) throw new InvalidName(`directory READ at position ${p.position}, not a multiple of ${DIRENT_SIZE}`);
    const first = p.position / DIRENT_SIZE;
    const count = Math.floor(p.length / DIRENT_SIZE);
    const dst = this.sink.content(p);
    let i = 0;
    for (; i < count; i++) {
      const e = await this.fs.readDirent(n.vfs!, first + i);
      if (!e) break;
      writeDirEntry(dst.subarray(i * DIRENT_SIZE, (i + 1) * DIRENT_SIZE), { inode: e.fileno, type: NODE_TYPES[e.type], rwx: rwxBits(e.rwx), name: e.name });
    }
    p.length = i * DIRENT_SIZE;
    return false;
  }

  /** Closes every handle; the session's charges end (storage_ledger.ts). */
  async destroy(): Promise<void> {
    this.closed = true;
    await this.runner.stop();
    for (const n of this.nodes.values()) {
      if (n.watch) this.fs.closeWatch(n.watch);
      if (n.vfs) await this.fs.close(n.vfs).catch(() => {});
    }
    this.nodes.clear();
    this.ledger.drop(this.account);
    await this.flushLog();
    await this.availHandler?.dispose();
    await this.ackHandler?.dispose();
    this.kept.releaseAll();
    await this.buffer.destroy();
  }
}

export function statusOf(s: Stat): FsStatus {
  return { size: s.size, type: NODE_TYPES[s.type], rwx: rwxBits(s.rwx), inode: s.inode, modificationTime: s.modificationTime };
}
