/*
 * test-terminal_log_client: writes through its LOG session (routed to terminal_log) a
 * line, a line without a line break, a lone colour escape sequence (passed on without a
 * label, as in Genode) and a text longer than one LOG write, then many lines at once.
 */
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { openLog } from '../../lib/log.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const raw = await Connection.open(env, LogSession, { label: 'raw' });
  await log('first line\n');
  await log('a line without a break');
  await raw.session.write('\x1b[32m\n');
  await log('green text');
  await raw.session.write('\x1b[0m\n');
  await log(`long: ${'0123456789'.repeat(30)}`);
  for (let i = 0; i < 50; i++) await log(`line ${i} of 50`);
  await log('done');
}
