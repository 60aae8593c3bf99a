/*
 * The IRQ session: a device interrupt delivered as a signal (session arg irq). After
 * handling an occurrence the driver acknowledges it, which lets the next one be delivered.
 */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { keptCap } from '../../rpc/types.js';
import type { SignalContext } from '../signal/session.js';

@rpcInterface('IRQ')
export abstract class IrqSession {
  static readonly service = 'IRQ';
  static readonly RAM_QUOTA = 6 * 1024;
  static readonly CAP_QUOTA = 2;

  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
  @rpc() abstract ack: () => Promise<void>;
}
