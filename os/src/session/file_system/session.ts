/*
 * The File_system session (Genode's File_system::Session): node handles as numeric ids for
 * files, directories, symlinks, plain nodes (status only) and watches; RPCs to open, create,
 * query and rearrange nodes; a packet stream from the client (source) to the server (sink)
 * that carries the data: READ / WRITE of files and symlinks, READ of directories (fixed-size
 * DIRENT_SIZE records, packet.ts), SYNC, READ_READY and CONTENT_CHANGED.
 *
 * Paths are absolute within the session's root ("/" is the root the server's policy
 * chose); names are single path elements. The packet-stream RPCs are those of the Block
 * session (see block/session.ts: Genode's tx channel folded into the session).
 *
 * Watches, differently from Genode: Genode's server acknowledges CONTENT_CHANGED packets
 * the client never submitted; our packet-stream source refuses acknowledgements of packets
 * it did not submit (that is what keeps a lying server from freeing the client's buffer
 * under it). So the client submits one payload-less CONTENT_CHANGED packet per watch
 * handle, the server holds it and acknowledges it (success=true) when the watched node
 * changes, and the client submits it again to hear about the next change. Closing the
 * watch handle acknowledges a held packet with success=false. Changes that happen while no
 * packet is held are remembered (one pending flag) and reported as soon as one arrives.
 *
 * Session arguments: `tx_buf_size` (the stream's dataspace, paid from the donation). The
 * donation also pays for every open handle and every node and byte the session stores.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, cap, int, keptCap, str, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { FS_ERRORS } from './errors.js';
import { MAX_NAME_LEN, MAX_PATH_LEN, type FsStatus } from './packet.js';

/** Genode's Mode: what a file handle may do. */
export enum FsMode { STAT_ONLY = 0, READ_ONLY = 1, WRITE_ONLY = 2, READ_WRITE = 3 }

/* Longer names and paths are refused by the RPC layer itself (MessageOverflow at the client, a malformed message at the server). */
const NAME = str(MAX_NAME_LEN);
const PATH = str(MAX_PATH_LEN);

export const fsStatus = struct<FsStatus>({ size: int, type: int, rwx: int, inode: int, modificationTime: int });

const throws = FS_ERRORS;

@rpcInterface('File_system')
export abstract class FileSystemSession {
  static readonly service = 'File_system';
  /** The session's own state; the client adds tx_buf_size and what it will store. */
  static readonly RAM_QUOTA = 32 * 1024;
  static readonly CAP_QUOTA = 5;
  /** Slots of the submit and the ack queue. */
  static readonly QUEUE_SLOTS = 64;
  static readonly DEFAULT_TX_BUF_SIZE = 64 * 1024;

  /** A file in directory `dir` (mode: FsMode); create=true makes it (NodeAlreadyExists if it is there). */
  @rpc({ args: [int, NAME, int, bool], result: int, throws }) abstract file: (dir: number, name: string, mode: number, create: boolean) => Promise<number>;
  @rpc({ args: [int, NAME, bool], result: int, throws }) abstract symlink: (dir: number, name: string, create: boolean) => Promise<number>;
  @rpc({ args: [PATH, bool], result: int, throws }) abstract dir: (path: string, create: boolean) => Promise<number>;
  /** Any node, for `status` only. */
  @rpc({ args: [PATH], result: int, throws }) abstract node: (path: string) => Promise<number>;
  @rpc({ args: [PATH], result: int, throws }) abstract watch: (path: string) => Promise<number>;
  @rpc({ args: [int], throws }) abstract close: (handle: number) => Promise<void>;
  @rpc({ args: [int], result: fsStatus, throws }) abstract status: (handle: number) => Promise<FsStatus>;
  @rpc({ args: [int], result: int, throws }) abstract numEntries: (dir: number) => Promise<number>;
  @rpc({ args: [int, NAME], throws }) abstract unlink: (dir: number, name: string) => Promise<void>;
  @rpc({ args: [int, int], throws }) abstract truncate: (file: number, size: number) => Promise<void>;
  @rpc({ args: [int, NAME, int, NAME], throws }) abstract move: (fromDir: number, fromName: string, toDir: number, toName: string) => Promise<void>;

  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ result: cap }) abstract packetAvail: () => Promise<Capability<SignalContext>>;
  @rpc({ result: cap }) abstract readyToAck: () => Promise<Capability<SignalContext>>;
  @rpc({ args: [keptCap] }) abstract sighReadyToSubmit: (sigh: Capability<SignalContext>) => Promise<void>;
  @rpc({ args: [keptCap] }) abstract sighAckAvail: (sigh: Capability<SignalContext>) => Promise<void>;
}
