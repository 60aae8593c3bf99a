/* test-rpc_server: provides the Test service. */
import type { Capability } from '../../capability.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { RootComponent, type SessionContext } from '../../lib/root_component.js';
import { LogSession } from '../../session/log/session.js';
import { Callback, TestFailure, TestSession, type Pair } from './session.js';

class TestSessionComponent implements TestSession {
  constructor(private readonly env: Env) {}

  add = async (a: number, b: number) => a + b;
  negate = async (b: boolean) => !b;
  reverse = async (s: string) => [...s].reverse().join('');
  xor = async (b: Uint8Array) => b.map((x) => x ^ 0x5a);
  summarize = async (xs: number[]): Promise<Pair> => ({ a: xs.reduce((s, x) => s + x, 0), b: `${xs.length} numbers` });
  callBack = async (cb: Capability<Callback>, n: number) => this.env.rpc(Callback, cb).ping(n);
  makeCallback = async () => this.env.ep.manage(Callback, { ping: async (n: number) => n * 10 });
  fail = async (code: number) => {
    throw new TestFailure(`failure ${code} as requested`);
  };
  failUndeclared = async () => {
    throw new RangeError('an undeclared error');
  };
}

class TestRoot extends RootComponent<TestSession> {
  protected async createSession(_ctx: SessionContext): Promise<TestSession> {
    return new TestSessionComponent(this.env);
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  await new TestRoot(env, TestSession, 'Test').announce();
  await log.session.write('Test service announced');
}
