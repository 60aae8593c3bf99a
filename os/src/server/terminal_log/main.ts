/*
 * terminal_log (Genode's os/src/server/terminal_log): a LOG service whose sessions write
 * onto one Terminal session, each line prefixed with the client's label as "[label] ".
 * Genode's also prints the uptime in front; that is left out so that emulated runs stay
 * byte for byte the same. A write ending without a line break gets one.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { Mutex } from '../../../../base/src/util/mutex.js';
import { openLog } from '../../lib/log.js';
import { TerminalConnection } from '../../session/terminal/connection.js';

/** As Genode's Terminal_log::Component::LABEL_LEN (including the brackets and the space). */
const LABEL_LEN = 64;
/* ESC [ parameters m, then a line break */
const LONE_SGR = /^\x1b\[[0-9;]{0,16}m\n$/;

class LogComponent implements LogSession {
  private readonly prefix: string;

  constructor(label: string, private readonly out: (text: string) => Promise<void>) {
    this.prefix = `[${label}] `.slice(0, LABEL_LEN - 1);
  }

  write = async (text: string) => {
    /*
     * Genode's heuristic (a log console flushes before escape sequences): a write that is
     * one colour sequence and a line break goes out without label and line break. Genode
     * checks for ESC [ n m only; any SGR sequence (ESC [ 1;32 m) counts here.
     */
    if (LONE_SGR.test(text)) {
      await this.out(text.slice(0, -1));
      return text.length;
    }
    await this.out(`${this.prefix}${text}${text.length > 0 && !text.endsWith('\n') ? '\n' : ''}`);
    return text.length;
  };
}

class LogRoot extends RootComponent<LogSession> {
  /* one write reaches the terminal whole, never interleaved with another session's */
  private readonly lock = new Mutex();

  constructor(env: Env, private readonly terminal: TerminalConnection) {
    super(env, LogSession, LogSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<LogSession> {
    return new LogComponent(ctx.label, (text) => this.lock.guard(() => this.terminal.write(text)));
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const terminal = await TerminalConnection.open(env);
  await new LogRoot(env, terminal).announce();
  await log('terminal_log ready');
}
