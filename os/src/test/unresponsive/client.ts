/*
 * test-unresponsive_client: a client of init beside a server that never answers
 * ("Stall"); its config says which part it plays:
 *   <config mode="sibling" cycles="50"/>  asks for a Stall session and, while that request
 *       is pending, opens and closes `cycles` Echo sessions at another server; then it
 *       announces "Done" and waits for the Stall request to fail when its server leaves
 *   <config mode="quitter"/>  asks for a Stall session and exits with the request pending
 *   <config mode="waiter"/>   once "Done" is there, asks for a Stall session, then makes the
 *       server leave, and expects a denial with its donation returned
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { Connection } from '../../../../base/src/lib/connection.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { EchoSession } from '../init/session.js';

type Write = (text: string) => Promise<unknown>;

/** The account totals: a donation lowers them, its return restores them. */
async function account(env: Env): Promise<string> {
  const q = await env.pd.quota();
  return `ram_quota=${q.ramQuota}, cap_quota=${q.capQuota}`;
}

/** The outcome of a session request that is expected to fail. */
async function outcome(env: Env, label: string, service = 'Stall'): Promise<string> {
  try {
    await Connection.open(env, EchoSession, { service, label });
    return 'Error: answered';
  } catch (e) {
    return e instanceof ServiceDenied ? `denied (${e.message})` : `Error: ${(e as Error).name}: ${(e as Error).message}`;
  }
}

class DoneRoot extends RootComponent<EchoSession> {
  constructor(env: Env) {
    super(env, EchoSession, 'Done');
  }

  protected async createSession(ctx: SessionContext): Promise<EchoSession> {
    return { whoami: async () => `sibling: ${ctx.label}` };
  }
}

async function sibling(env: Env, write: Write, cycles: number): Promise<void> {
  const before = await account(env);
  const stalled = outcome(env, 'pending');
  for (let i = 0; i < cycles; i++) {
    const c = await Connection.open(env, EchoSession, { label: `cycle ${i}` });
    await c.session.whoami();
    await c.close();
  }
  await write(`${cycles} Echo sessions while a Stall request was pending`);
  await new DoneRoot(env).announce();
  await write(`Stall request: ${await stalled}`);
  const after = await account(env);
  await write(after === before ? 'donation returned' : `Error: account ${before} before, ${after} after`);
  await env.exit(0);
}

async function quitter(env: Env, write: Write): Promise<void> {
  void outcome(env, 'quit');
  /* requests are handled in order: once this one is answered, init has the Stall request */
  const c = await Connection.open(env, EchoSession, { label: 'before quitting' });
  await c.close();
  await write('quitting with a Stall request pending');
  await env.exit(0);
}

async function waiter(env: Env, write: Write): Promise<void> {
  /* the sibling's donations are back once this session is closed */
  await (await Connection.open(env, EchoSession, { service: 'Done' })).close();
  const before = await account(env);
  const stalled = outcome(env, 'last');
  await write(`Leave session: ${await outcome(env, 'leave', 'Leave')}`);
  const result = await stalled;
  const after = await account(env);
  await write(`Stall session: ${result}`);
  await write(after === before ? 'donation returned' : `Error: account ${before} before, ${after} after`);
  await env.exit(0);
}

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-unresponsive_client');
  const log = await Connection.open(env, LogSession);
  const write: Write = (text) => log.session.write(text);
  const mode = config.attr('mode');
  switch (mode) {
    case 'sibling': return sibling(env, write, config.numberAttr('cycles', 50));
    case 'quitter': return quitter(env, write);
    case 'waiter': return waiter(env, write);
    default: throw config.error(`unknown mode "${mode}"`);
  }
}
