/*
 * terminal_crosslink (Genode's os/src/server/terminal_crosslink): a Terminal service for
 * exactly two clients, joined: what one writes, the other reads. Each direction has a
 * bounded buffer (BUFFER_BYTES, as Genode's); a write takes what fits and returns how much
 * that was, so a writer whose partner does not read makes no progress but takes nothing
 * from anybody else. A client that arrives after its partner finds what was written for
 * it; a third client is denied.
 */
import type { Capability } from '../../../../base/src/capability.js';
import { BadArgument, ServiceDenied } from '../../../../base/src/errors.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../../base/src/session/signal/session.js';
import { openLog } from '../../lib/log.js';
import { SessionDataspace } from '../../lib/session_dataspace.js';
import { TerminalSession } from '../../session/terminal/session.js';
import { ByteRing } from './byte_ring.js';

export const BUFFER_BYTES = 4096;

/** One end of the link: the bytes waiting for its client and whom to signal about them. */
class End {
  readonly pending = new ByteRing(BUFFER_BYTES);
  readAvail: Capability<SignalContext> | undefined;
  session: CrosslinkSession | undefined;
}

class CrosslinkSession implements TerminalSession {
  constructor(private readonly env: Env, readonly io: SessionDataspace, private readonly own: End, private readonly partner: End) {}

  private count(what: string, n: number): number {
    if (!Number.isSafeInteger(n) || n < 0) throw new BadArgument(`Terminal.${what}: invalid byte count ${n}`);
    return Math.min(n, this.io.size);
  }

  size = async () => ({ columns: 0, lines: 0 });

  avail = async () => this.own.pending.length > 0;

  read = async (max: number) => this.own.pending.take(this.io.bytes, this.count('read', max));

  write = async (count: number) => {
    const n = this.partner.pending.put(this.io.bytes.subarray(0, this.count('write', count)));
    if (n > 0 && this.partner.readAvail) void this.env.submit(this.partner.readAvail);
    return n;
  };

  dataspace = async () => this.io.ds;

  readAvailSigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.own.readAvail);
    this.own.readAvail = cap.valid ? cap : undefined;
    if (this.own.readAvail && this.own.pending.length > 0) void this.env.submit(this.own.readAvail);
  };

  connectedSigh = async (cap: Capability<SignalContext>) => {
    if (!cap.valid) return;
    await this.env.submit(cap);
    this.env.ep.release(cap);
  };

  drop(): void {
    this.env.ep.release(this.own.readAvail);
    this.own.readAvail = undefined;
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
