/* The signal test's service: hands out the receiver's signal context to senders. */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';

@rpcInterface('Signal_test')
export abstract class SignalTestSession {
  static readonly service = 'Signal_test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** The context senders submit to. */
  @rpc({ result: cap }) abstract context: () => Promise<Capability<SignalContext>>;
  /** Tells the receiver how many submits this sender made. */
  @rpc({ args: [int] }) abstract done: (submitted: number) => Promise<void>;
}
