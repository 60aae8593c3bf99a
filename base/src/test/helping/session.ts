/*
 * The helping test's service: `work` computes for a while before it answers, so its
 * entrypoint is busy meanwhile, and tells a watcher when a call starts.
 */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int, keptCap } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';

@rpcInterface('Helping')
export abstract class HelpingSession {
  static readonly service = 'Helping';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** Signals `watcher` (a context of the client) once, when a `work` call (of any client) starts after two completed. */
  @rpc({ args: [keptCap] }) abstract watch: (watcher: Capability<SignalContext>) => Promise<void>;
  /**
   * Computes `units` loop iterations (metered user work) and answers how many calls of
   * watching sessions the server has completed before this one.
   */
  @rpc({ args: [int], result: int }) abstract work: (units: number) => Promise<number>;
}
