/* test-terminal_echo: sends back every byte its Terminal session receives, and says how many. */
import type { Env } from '../../../../base/src/lib/env.js';
import { openLog } from '../../lib/log.js';
import { TerminalConnection } from '../../session/terminal/connection.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const terminal = await TerminalConnection.open(env);
  let total = 0;
  await terminal.onReadAvail(async () => {
    const bytes = await terminal.read();
    if (bytes.length === 0) return;
    await terminal.write(bytes);
    total += bytes.length;
    await log(`echoed ${bytes.length} bytes (${total} in all)`);
  });
  await log('terminal echo ready');
}
