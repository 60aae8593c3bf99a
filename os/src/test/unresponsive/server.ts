/*
 * test-unresponsive_server: announces "Stall" and never answers a session request, as a
 * hung or hostile server would. A request for its "Leave" service makes it exit with every
 * Stall request still unanswered, so its parent must clean them up.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { EchoSession } from '../init/session.js';

type Write = (text: string) => Promise<unknown>;

class StallRoot extends RootComponent<EchoSession> {
  constructor(env: Env, private readonly write: Write) {
    super(env, EchoSession, 'Stall');
  }

  protected async createSession(ctx: SessionContext): Promise<EchoSession> {
    await this.write(`request from "${ctx.label}" left unanswered`);
    return new Promise<EchoSession>(() => {});
  }
}

class LeaveRoot extends RootComponent<EchoSession> {
  constructor(env: Env, private readonly write: Write) {
    super(env, EchoSession, 'Leave');
  }

  protected async createSession(ctx: SessionContext): Promise<EchoSession> {
    await this.write(`"${ctx.label}" asks to leave: leaving with every request unanswered`);
    await this.env.exit(0);
    return new Promise<EchoSession>(() => {});
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const write: Write = (text) => log.session.write(text);
  await new StallRoot(env, write).announce();
  await new LeaveRoot(env, write).announce();
}
