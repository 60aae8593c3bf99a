/* The interface of the null-RPC benchmark. */
import { rpc, rpcInterface } from '../../rpc/interface.js';

@rpcInterface('Bench')
export abstract class BenchSession {
  static readonly service = 'Bench';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** Does nothing: the cost of a call is the cost of the IPC path. */
  @rpc() abstract nullCall: () => Promise<void>;
}
