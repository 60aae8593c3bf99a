/* The ROM session: read-only boot modules and configs, with an update signal. */
import type { Capability } from '../../capability.js';
import { OutOfCaps, OutOfRam } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, cap, keptCap } from '../../rpc/types.js';
import type { Dataspace } from '../dataspace/session.js';
import type { SignalContext } from '../signal/session.js';

@rpcInterface('ROM')
export abstract class RomSession {
  static readonly service = 'ROM';
  static readonly RAM_QUOTA = 6 * 1024;
  static readonly CAP_QUOTA = 2;

  /** The current version of the module (a new dataspace after an update); may need a quota upgrade. */
  @rpc({ result: cap, throws: [OutOfRam, OutOfCaps] }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  /** Brings the current dataspace up to date in place if possible; false means fetch `dataspace()` again. */
  @rpc({ result: bool }) abstract update: () => Promise<boolean>;
  /** Registers a signal handler for module changes. */
  @rpc({ args: [keptCap] }) abstract sigh: (sigh: Capability<SignalContext>) => Promise<void>;
}
