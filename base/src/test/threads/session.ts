/*
 * The threads test's service: a gate whose `pass` does not return until the gate is
 * opened, so a caller stays blocked in the call for as long as the test wants.
 */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, keptCap, str } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';

@rpcInterface('Gate')
export abstract class GateSession {
  static readonly service = 'Gate';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** The context that opens the gate: each submitted signal lets one caller pass. */
  @rpc({ result: cap }) abstract opener: () => Promise<Capability<SignalContext>>;
  /** Signals `watcher` (a context of the client) whenever a caller arrives at the gate. */
  @rpc({ args: [keptCap] }) abstract watch: (watcher: Capability<SignalContext>) => Promise<void>;
  /** Waits at the gate: the reply is held until the gate opens; returns how often it opened. */
  @rpc({ args: [str(32)], result: int }) abstract pass: (who: string) => Promise<number>;
  /** Answers at once (n + 1). */
  @rpc({ args: [int], result: int }) abstract echo: (n: number) => Promise<number>;
}
