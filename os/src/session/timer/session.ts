/*
 * The Timer session (Genode's Timer::Session): one timeout per session, delivered as a
 * signal, either once or periodically, and the time elapsed since the timer started.
 * A new trigger replaces the session's pending timeout.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { int, keptCap } from '../../../../base/src/rpc/types.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

@rpcInterface('Timer')
export abstract class TimerSession {
  static readonly service = 'Timer';
  static readonly RAM_QUOTA = 10 * 1024;
  static readonly CAP_QUOTA = 3;
  /** Periods below this are raised to it, so no client can flood the timer with interrupts (as in Genode). */
  static readonly MIN_PERIOD_US = 1000;

  /** The signal context that timeouts are delivered to. */
  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** One signal `us` microseconds from now. */
  @rpc({ args: [int], throws: [BadArgument] }) abstract triggerOnce: (us: number) => Promise<void>;
  /** A signal every `us` microseconds (at least MIN_PERIOD_US); 0 stops the periodic timeout. */
  @rpc({ args: [int], throws: [BadArgument] }) abstract triggerPeriodic: (us: number) => Promise<void>;
  @rpc({ result: int }) abstract elapsedMs: () => Promise<number>;
  @rpc({ result: int }) abstract elapsedUs: () => Promise<number>;
}
