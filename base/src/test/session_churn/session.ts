/* The session-churn test's service: sessions opened and closed by the hundred thousand. */
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int } from '../../rpc/types.js';
import { quotaType, type Quota } from '../../session/pd/session.js';

@rpcInterface('Churn')
export abstract class ChurnSession {
  static readonly service = 'Churn';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** The server's own PD account: a client's sessions must cost the server nothing. */
  @rpc({ result: quotaType }) abstract serverQuota: () => Promise<Quota>;
  /** Names in the server's capability space, -1 on a kernel without one per component. */
  @rpc({ result: int }) abstract capSpace: () => Promise<number>;
  @rpc({ result: int }) abstract sessions: () => Promise<number>;
}
