/*
 * The NIC session (Genode's Nic::Session): Ethernet frames between a client and a network
 * server (a card's driver, nic_bridge, nic_loopback) through two packet streams, plus the
 * MAC address the client sends from and the link state with a signal when it changes.
 *
 *   tx stream: the client is the source, the server the sink (frames the client sends)
 *   rx stream: the server is the source, the client the sink (frames the client receives)
 *
 * Genode serves each stream through its own channel object (tx_cap / rx_cap); here, as in
 * the Block session, the channels' functions are part of the session, prefixed with the
 * stream's name. For each stream the session hands out its dataspace and the server's own
 * signal contexts, and takes the client's signal contexts:
 *
 *   tx: server contexts packet_avail, ready_to_ack; client contexts ready_to_submit, ack_avail
 *   rx: server contexts ready_to_submit, ack_avail; client contexts packet_avail, ready_to_ack
 *
 * Session arguments: `tx_buf_size` and `rx_buf_size` (bytes of each stream's dataspace,
 * which the server allocates from the session's RAM quota: the client donates both).
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, bytes, cap, keptCap } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

@rpcInterface('Nic')
export abstract class NicSession {
  static readonly service = 'Nic';
  /** The session's own state; the client adds tx_buf_size + rx_buf_size to it. */
  static readonly RAM_QUOTA = 16 * 1024;
  /** Session cap, four signal contexts of the server, the link-state context kept. */
  static readonly CAP_QUOTA = 8;
  /** Slots of each stream's submit and ack queue (Genode's Nic::Session::QUEUE_SIZE). */
  static readonly QUEUE_SLOTS = 128;
  /** Genode's Nic::Packet_allocator::DEFAULT_PACKET_SIZE: a frame plus some room. */
  static readonly PACKET_SIZE = 1536;
  static readonly DEFAULT_BUF_SIZE = 128 * 1024;

  /** The MAC address the client sends from (6 bytes). */
  @rpc({ result: bytes(6) }) abstract macAddress: () => Promise<Uint8Array>;
  @rpc({ result: bool }) abstract linkState: () => Promise<boolean>;
  /** The context the server signals when the link state changed (then ask `linkState`). */
  @rpc({ args: [keptCap] }) abstract linkStateSigh: (sigh: Capability<SignalContext>) => Promise<void>;

  @rpc({ result: cap }) abstract txDataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ result: cap }) abstract txPacketAvail: () => Promise<Capability<SignalContext>>;
  @rpc({ result: cap }) abstract txReadyToAck: () => Promise<Capability<SignalContext>>;
  @rpc({ args: [keptCap] }) abstract txSighReadyToSubmit: (sigh: Capability<SignalContext>) => Promise<void>;
  @rpc({ args: [keptCap] }) abstract txSighAckAvail: (sigh: Capability<SignalContext>) => Promise<void>;

  @rpc({ result: cap }) abstract rxDataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ result: cap }) abstract rxReadyToSubmit: () => Promise<Capability<SignalContext>>;
  @rpc({ result: cap }) abstract rxAckAvail: () => Promise<Capability<SignalContext>>;
  @rpc({ args: [keptCap] }) abstract rxSighPacketAvail: (sigh: Capability<SignalContext>) => Promise<void>;
  @rpc({ args: [keptCap] }) abstract rxSighReadyToAck: (sigh: Capability<SignalContext>) => Promise<void>;
}
