/*
 * The control of test-init_driver, the parent side of an init under test: a checkpoint
 * publishes the init's next config version, and the verbose init's report of its account
 * under that version comes back.
 */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int, keptCap, str } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';

@rpcInterface('Init_driver')
export abstract class InitDriverControl {
  static readonly service = 'Init_driver';
  static readonly RAM_QUOTA = 8 * 1024;
  static readonly CAP_QUOTA = 2;

  /** Signalled when the init reported a version. */
  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** Publishes the init's next config version; returns that version. */
  @rpc({ args: [str(32)], result: int }) abstract checkpoint: (name: string) => Promise<number>;
  /** The init's report of `version` (the part after the version), '' while it has not come. */
  @rpc({ args: [int], result: str(160) }) abstract report: (version: number) => Promise<string>;
}
