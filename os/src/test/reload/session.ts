/* The reload test's service: children say hello with their name and config value. */
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { int, str } from '../../../../base/src/rpc/types.js';

@rpcInterface('Reload_test')
export abstract class ReloadTestSession {
  static readonly service = 'Reload_test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  @rpc({ args: [str(64), int] }) abstract hello: (name: string, value: number) => Promise<void>;
}
