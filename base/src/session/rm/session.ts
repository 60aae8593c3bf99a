/* The RM session: managed region maps, which are dataspaces that can be attached elsewhere. */
import type { Capability } from '../../capability.js';
import { BadArgument, OutOfCaps, OutOfRam } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int } from '../../rpc/types.js';
import type { RegionMap } from '../region_map/session.js';

@rpcInterface('RM')
export abstract class RmSession {
  static readonly service = 'RM';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** A new, empty region map of `size` bytes; paid from the session quota. */
  @rpc({ args: [int], result: cap, throws: [OutOfRam, OutOfCaps, BadArgument] })
  abstract create: (size: number) => Promise<Capability<RegionMap>>;
  @rpc({ args: [cap] }) abstract destroy: (rm: Capability<RegionMap>) => Promise<void>;
}
