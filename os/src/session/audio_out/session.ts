/*
 * The Audio_out session (Genode's Audio_out::Session): one output channel ("front left" /
 * "left", "front right" / "right", given as the session argument `channel`). The samples go
 * through the shared stream (stream.ts); RPC only starts and stops playback and exchanges
 * the signal contexts:
 *
 *   progress    server -> client  a packet was played
 *   alloc       server -> client  the queue left the full state
 *   data_avail  client -> server  the queue left the empty state
 *
 * The stream's dataspace is paid from the session's RAM quota: a client donates
 * RAM_QUOTA (which includes STREAM_BYTES).
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, keptCap } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { STREAM_BYTES } from './stream.js';

export const CHANNEL_LEFT = 'front left';
export const CHANNEL_RIGHT = 'front right';

/** Channel numbers by the names Genode's drivers accept. */
export function channelNumber(name: string): number | undefined {
  switch (name) {
    case 'left': case 'front left': return 0;
    case 'right': case 'front right': return 1;
    default: return undefined;
  }
}

@rpcInterface('Audio_out')
export abstract class AudioOutSession {
  static readonly service = 'Audio_out';
  /** The stream (rounded to pages) plus the session's own state, as Genode's connection donates. */
  static readonly RAM_QUOTA = Math.ceil(STREAM_BYTES / 4096) * 4096 + 2 * 4096 + 2048;
  /** Session cap, the server's data_avail context, the two kept client contexts. */
  static readonly CAP_QUOTA = 4;

  /** Start playback (the client resets its tail to the playback position afterwards). */
  @rpc() abstract start: () => Promise<void>;
  @rpc() abstract stop: () => Promise<void>;
  /** The shared stream. */
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  /** The context the server signals when it played a packet. */
  @rpc({ args: [keptCap] }) abstract progressSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** The context the server signals when the queue is no longer full. */
  @rpc({ args: [keptCap] }) abstract allocSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** The server's context the client signals when it submitted into an empty queue. */
  @rpc({ result: cap }) abstract dataAvailSigh: () => Promise<Capability<SignalContext>>;
}
