/*
 * test-resource_request: allocates until its RAM runs out, asks init for more, and goes on
 * with what init granted; a request beyond what its start node allows is answered with less.
 */
import { OutOfRam } from '../../../../base/src/errors.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { LogSession } from '../../../../base/src/session/log/session.js';

const CHUNK = 256 * 1024;

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const held = [];
  /* use up the initial quantum */
  for (;;) {
    try {
      held.push(await env.pd.alloc(CHUNK));
    } catch (e) {
      if (!(e instanceof OutOfRam)) throw e;
      break;
    }
  }
  await say(`allocated ${held.length} chunks of ${CHUNK} bytes, then out of RAM`);

  const granted = await env.resourceRequest(2 * 1024 * 1024);
  await say(`parent granted ${granted.ram} bytes`);
  const before = held.length;
  for (;;) {
    try {
      held.push(await env.pd.alloc(CHUNK));
    } catch (e) {
      if (!(e instanceof OutOfRam)) throw e;
      break;
    }
  }
  await say(`allocated ${held.length - before} more chunks`);

  /* the start node allows 3M in all: a second big request gets only the rest, then nothing */
  const second = await env.resourceRequest(4 * 1024 * 1024).catch((e: Error) => e);
  await say(second instanceof Error ? `second request refused: ${second.message}` : `second request granted ${second.ram} bytes`);
  const third = await env.resourceRequest(4 * 1024 * 1024).catch((e: Error) => e);
  await say(third instanceof OutOfRam ? 'third request refused as expected' : 'Error: third request was granted');
  for (const ds of held) await env.pd.free(ds);
  await say('--- test-resource_request finished ---');
  await env.exit(0);
}
