/*
 * The Block session (Genode's Block::Session): a block device's geometry (`info`) and a
 * packet stream from the client (source) to the server (sink) that carries read, write,
 * sync and trim requests, several in flight at once, each identified by a tag.
 *
 * Genode serves the packet stream through a second RPC object (the Packet_stream_tx
 * channel behind `tx_cap`); here the channel's functions are part of the session itself:
 * `dataspace` (the stream's dataspace: both queues and the bulk buffer), the server's
 * `packetAvail` / `readyToAck` signal contexts, and the client's `ready_to_submit` /
 * `ack_avail` contexts installed with `sighReadyToSubmit` / `sighAckAvail`. The RPCs are
 * for setting up only: requests and their payload never go through RPC.
 *
 * Session arguments: `tx_buf_size` (bytes of the stream's dataspace, which the server
 * allocates from the session's RAM quota: the client donates it with the request).
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, cap, int, keptCap, struct } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import type { BlockInfo } from './packet.js';

export const blockInfo = struct<BlockInfo>({ blockSize: int, blockCount: int, alignLog2: int, writeable: bool });

@rpcInterface('Block')
export abstract class BlockSession {
  static readonly service = 'Block';
  /** The session's own state; the client adds tx_buf_size to it. */
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 5;
  /** Slots of the submit and the ack queue (Genode's TX_QUEUE_SIZE). */
  static readonly QUEUE_SLOTS = 256;
  static readonly DEFAULT_TX_BUF_SIZE = 128 * 1024;

  @rpc({ result: blockInfo }) abstract info: () => Promise<BlockInfo>;
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  /** The server's packet_avail context: the client submits it when it filled an empty submit queue. */
  @rpc({ result: cap }) abstract packetAvail: () => Promise<Capability<SignalContext>>;
  /** The server's ready_to_ack context: the client submits it when it took from a full ack queue. */
  @rpc({ result: cap }) abstract readyToAck: () => Promise<Capability<SignalContext>>;
  @rpc({ args: [keptCap] }) abstract sighReadyToSubmit: (sigh: Capability<SignalContext>) => Promise<void>;
  @rpc({ args: [keptCap] }) abstract sighAckAvail: (sigh: Capability<SignalContext>) => Promise<void>;
}
