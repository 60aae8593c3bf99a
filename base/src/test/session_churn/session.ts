/*
 * The session-churn test's interfaces: a service whose sessions are opened and closed by
 * the hundred thousand, and the driver's control, which has the init in between report
 * its own account at the checkpoints.
 */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import type { Capability } from '../../capability.js';
import { int, keptCap, str } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';
import { quotaType, type Quota } from '../../session/pd/session.js';

@rpcInterface('Churn')
export abstract class ChurnSession {
  static readonly service = 'Churn';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** The server's own PD account: a client's sessions must cost the server nothing. */
  @rpc({ result: quotaType }) abstract serverQuota: () => Promise<Quota>;
  /** Names in the server's capability space, -1 on a kernel without one per component. */
  @rpc({ result: int }) abstract capSpace: () => Promise<number>;
  @rpc({ result: int }) abstract sessions: () => Promise<number>;
}

@rpcInterface('Churn_control')
export abstract class ChurnControl {
  static readonly service = 'Churn_control';
  static readonly RAM_QUOTA = 8 * 1024;
  static readonly CAP_QUOTA = 2;

  /** Signalled when the init reported a version. */
  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Makes the init in between report its account under a new version; returns that version. */
  @rpc({ args: [str(32)], result: int }) abstract checkpoint: (name: string) => Promise<number>;
  /** The init's report of `version` (the part after the version), '' while it has not come. */
  @rpc({ args: [int], result: str(160) }) abstract report: (version: number) => Promise<string>;
}
