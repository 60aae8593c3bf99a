/* test-rpc_client: calls every function of the Test service and checks the answers. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { IpcError, MessageOverflow, UndeclaredServerError } from '../../errors.js';
import { LogSession } from '../../session/log/session.js';
import { Callback, TestFailure, TestSession } from './session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const check = async (what: string, got: unknown, want: unknown) => {
    const ok = JSON.stringify(got) === JSON.stringify(want);
    await say(`${what}: ${JSON.stringify(got)}${ok ? '' : ` -- Error: expected ${JSON.stringify(want)}`}`);
  };

  const test = (await Connection.open(env, TestSession, { label: 'test' })).session;
  await check('add(2^40, -7)', await test.add(2 ** 40, -7), 2 ** 40 - 7);
  await check('negate(true)', await test.negate(true), false);
  await check('reverse', await test.reverse('Genode \u00fcber alles'), 'sella rebü edoneG');
  await check('xor', [...(await test.xor(new Uint8Array([0, 1, 0xff])))], [0x5a, 0x5b, 0xa5]);
  await check('summarize', await test.summarize([1, 2, 3, 4]), { a: 10, b: '4 numbers' });

  const cb = await env.ep.manage(Callback, { ping: async (n: number) => n + 1 });
  await check('callBack (client capability used by the server)', await test.callBack(cb, 41), 42);
  const serverCb = await test.makeCallback();
  await check('makeCallback (server capability used by the client)', await env.rpc(Callback, serverCb).ping(7), 70);

  try {
    await test.fail(7);
    await say('Error: declared exception did not arrive');
  } catch (e) {
    await check('declared exception', [e instanceof TestFailure, (e as Error).message], [true, 'failure 7 as requested']);
  }
  try {
    await test.failUndeclared();
    await say('Error: undeclared exception did not arrive');
  } catch (e) {
    await check('undeclared exception', e instanceof IpcError || e instanceof UndeclaredServerError, true);
  }
  try {
    await test.reverse('x'.repeat(201));
    await say('Error: over-long argument was not refused');
  } catch (e) {
    await check('over-long argument refused', e instanceof MessageOverflow, true);
  }
  await say('--- RPC test finished ---');
  await env.exit(0);
}
