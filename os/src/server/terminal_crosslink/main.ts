/*
 * terminal_crosslink (Genode's os/src/server/terminal_crosslink): a Terminal service for
 * exactly two clients, joined: what one writes, the other reads. Each direction has a
 * bounded buffer (BUFFER_BYTES, as Genode's); a write takes what fits and returns how much
 * that was, so a writer whose partner does not read makes no progress but takes nothing
 * from anybody else. A client that arrives after its partner finds what was written for
 * it; a third client is denied.
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { openLog } from '../../lib/log.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { TerminalSession } from '../../session/terminal/session.js';
import { TerminalSessionComponent } from '../../session/terminal/session_component.js';
import { ByteRing } from './byte_ring.js';

export const BUFFER_BYTES = 4096;

/** One end of the link: the bytes waiting for its client, and that client's session. */
class End {
  readonly pending = new ByteRing(BUFFER_BYTES);
  session: CrosslinkSession | undefined;
}

class CrosslinkSession extends TerminalSessionComponent {
  constructor(env: Env, io: SessionDataspace, private readonly own: End, private readonly partner: End) {
    super(env, io);
  }

  protected pending(): number {
    return this.own.pending.length;
  }

  size = async () => ({ columns: 0, lines: 0 });

  avail = async () => this.own.pending.length > 0;

  read = async (max: number) => this.own.pending.take(this.io.bytes, this.count('read', max));

  write = async (count: number) => {
    const n = this.partner.pending.put(this.io.bytes.subarray(0, this.count('write', count)));
    if (n > 0) this.partner.session?.readAvailable();
    return n;
  };

  override drop(): void {
    super.drop();
    this.own.session = undefined;
    /* what was written for the departed client is not for its successor */
    this.own.pending.clear();
  }
}

class CrosslinkRoot extends RootComponent<TerminalSession> {
  private readonly ends = [new End(), new End()] as const;

  constructor(env: Env) {
    super(env, TerminalSession, TerminalSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<TerminalSession> {
    const i = this.ends.findIndex((e) => !e.session);
    if (i < 0) throw new ServiceDenied('terminal_crosslink joins two clients, both are connected');
    const s = new CrosslinkSession(this.env, await SessionDataspace.create(this.env, ctx.quota, TerminalSession.IO_BUFFER_BYTES), this.ends[i]!, this.ends[1 - i]!);
    this.ends[i]!.session = s;
    return s;
  }

  protected override async destroySession(session: TerminalSession): Promise<void> {
    (session as CrosslinkSession).drop();
    await (session as CrosslinkSession).io.destroy();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  await new CrosslinkRoot(env).announce();
  await log('terminal_crosslink ready');
}
