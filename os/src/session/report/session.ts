/*
 * The Report session (Genode's Report::Session): a client writes a report (usually XML)
 * into the session's dataspace and `submit`s its length. The dataspace is as large as the
 * session argument `buffer_size` asks, paid from the session's RAM quota. A server may
 * answer through `obtainResponse` (e.g. a size it would rather have), signalled to the
 * handler registered with `responseSigh`; report_rom does not.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument } from '../../../../base/src/errors.js';
import { rpc, rpcInterface } from '../../../../base/src/rpc/interface.js';
import { cap, int, keptCap } from '../../../../base/src/rpc/types.js';
import type { Dataspace } from '../../../../base/src/session/dataspace/session.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';

@rpcInterface('Report')
export abstract class ReportSession {
  static readonly service = 'Report';
  /** The session's own cost at the server; a connection adds its buffer_size. */
  static readonly RAM_QUOTA = 10 * 1024;
  static readonly CAP_QUOTA = 3;
  /** Largest buffer a client may ask for (Genode has none but the quota; this bounds a hostile argument). */
  static readonly BUFFER_MAX = 16 * 1024 * 1024;

  /** The buffer the client writes its report into. */
  @rpc({ result: cap }) abstract dataspace: () => Promise<Capability<Dataspace>>;
  /** The buffer's first `length` bytes are the new report; BadArgument beyond the buffer. */
  @rpc({ args: [int], throws: [BadArgument] }) abstract submit: (length: number) => Promise<void>;
  @rpc({ args: [keptCap] }) abstract responseSigh: (sigh: Capability<SignalContext>) => Promise<void>;
  /** The server's answer to the last report (0: none). */
  @rpc({ result: int }) abstract obtainResponse: () => Promise<number>;
}
