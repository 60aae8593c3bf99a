/* test-log: writes to its LOG session, including lines that test formatting and limits. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { MessageOverflow } from '../../errors.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const write = (text: string) => log.session.write(text);
  await write('hello world');
  await write('multi-line\n output');
  await write(`integer ${-42}, hex 0x${(0xdeadbeef).toString(16)}, unicode \u00e4\u00f6\u00fc`);
  try {
    await write('x'.repeat(LogSession.MAX_STRING_LEN + 1));
    await write('Error: an over-long message was not refused');
  } catch (e) {
    if (!(e instanceof MessageOverflow)) throw e;
    await write(`over-long message refused: ${e.name}`);
  }
  await write('Test done.');
  await log.close();
  await env.exit(0);
}
