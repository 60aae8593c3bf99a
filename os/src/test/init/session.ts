/* The routing test's service: tells a client which server it reached and with which label. */
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { str } from '../../../../base/src/rpc/types.js';

@rpcInterface('Echo')
export abstract class EchoSession {
  static readonly service = 'Echo';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** "<server name>: <session label as the server saw it>" */
  @rpc({ result: str(200) }) abstract whoami: () => Promise<string>;
}
