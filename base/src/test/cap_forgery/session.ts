/* The forgery test's interfaces: a victim service and the objects it hands out. */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, str } from '../../rpc/types.js';

@rpcInterface('Target')
export abstract class Target {
  /** Only a caller that reached this object learns the secret. */
  @rpc({ result: str(64) }) abstract secret: () => Promise<string>;
}

@rpcInterface('Victim')
export abstract class VictimSession {
  static readonly service = 'Victim';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 8;

  @rpc({ result: cap }) abstract target: () => Promise<Capability<Target>>;
  /** Dissolves every target object this session handed out. */
  @rpc() abstract revoke: () => Promise<void>;
}

export const SECRET = 'the secret of the victim';
