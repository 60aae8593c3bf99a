/* The quota test's service: sessions whose state grows on request, paid from the donation. */
import { OutOfCaps, OutOfRam } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { int } from '../../rpc/types.js';
import { quotaType, type Quota } from '../../session/pd/session.js';

@rpcInterface('Quota_test')
export abstract class QuotaTestSession {
  static readonly service = 'Quota_test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** Allocates `bytes` more session state from the session's quota. */
  @rpc({ args: [int], throws: [OutOfRam, OutOfCaps] }) abstract grow: (bytes: number) => Promise<void>;
  /** The server's own PD quota, to check that it pays nothing for its clients. */
  @rpc({ result: quotaType }) abstract serverQuota: () => Promise<Quota>;
  @rpc({ result: int }) abstract sessions: () => Promise<number>;
}
