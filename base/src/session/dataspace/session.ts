/* A dataspace: a piece of memory that can be attached to region maps (Genode's Dataspace). */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, int } from '../../rpc/types.js';

@rpcInterface('Dataspace')
export abstract class Dataspace {
  @rpc({ result: int }) abstract size: () => Promise<number>;
  @rpc({ result: bool }) abstract writeable: () => Promise<boolean>;
}
