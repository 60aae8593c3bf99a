/*
 * The Input session (Genode's Input::Session): events from an input driver. The server
 * queues events and signals the client; `flush` copies as many as fit into the shared
 * event buffer (see event.ts) and returns their number, `pending` tells whether more wait.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { bool, cap, int, keptCap } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

@rpcInterface('Input')
export abstract class InputSession {
  static readonly service = 'Input';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;
  /** Size of the event buffer: 256 events. */
  static readonly BUFFER_BYTES = 4096;

  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  @rpc({ result: bool }) abstract pending: () => Promise<boolean>;
  /** Moves queued events into the buffer; returns how many it moved. */
  @rpc({ result: int }) abstract flush: () => Promise<number>;
  /** A signal whenever new events were queued. */
  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
}
