/*
 * The documented weakness of OKL4 as Genode used it: a capability is the pair {entrypoint
 * thread ID, RPC key}, two numbers the kernel does not protect. A component that was never
 * given a capability can write such a pair into its message registers and reach the object.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { InvalidCapability, IpcError } from '../../base/src/errors.js';
import { Entrypoint } from '../../base/src/lib/entrypoint.js';
import { rpcClient } from '../../base/src/rpc/client.js';
import { rpc, rpcInterface } from '../../base/src/rpc/interface.js';
import { str } from '../../base/src/rpc/types.js';
import { PAGE_SIZE, UTCB_BYTES, globalId } from '../../base-okl4/src/kernel/abi.js';
import type { Thread } from '../../base-okl4/src/kernel/thread.js';
import { Okl4Caller } from '../../base-okl4/src/lib/call.js';
import { Okl4Capability } from '../../base-okl4/src/lib/capability.js';
import { CapabilitySpace } from '../../base-okl4/src/lib/capability_space.js';
import { Okl4IpcThread } from '../../base-okl4/src/lib/ipc_thread.js';
import { RpcServerLoop } from '../../base-okl4/src/lib/rpc_server.js';
import { Okl4Backend } from '../../tool/runner/okl4_backend.js';
import { loadScenario, loadTargets } from '../../tool/runner/repositories.js';
import { bootModulesFor, runScenario } from '../../tool/runner/run_scenario.js';
import { Pc } from '../../tool/pc/index.js';
import { UTCB_AREA, boot, newSpace, newThread, type TestSystem } from './helpers.js';

@rpcInterface('Okl4_test_secret')
abstract class Secret {
  @rpc({ result: str(64) }) abstract reveal: () => Promise<string>;
}

function ipcThread(sys: TestSystem, self: Thread, index: number): Okl4IpcThread {
  return new Okl4IpcThread(sys.k, self, sys.k.memoryView(self, UTCB_AREA + index * PAGE_SIZE, UTCB_BYTES)!, new CapabilitySpace());
}

test('a forged {thread ID, key} pair reaches an object the caller was never given', async (t) => {
  const sys = await boot();
  newSpace(sys, 1);
  newSpace(sys, 2);

  /* the victim: an entrypoint thread serving two objects */
  const server = await newThread(sys, 1, 1);
  let lastKey = 100;
  const ep: Entrypoint = new Entrypoint({
    alloc: async () => {
      const cap = new Okl4Capability(server.id, ++lastKey);
      return { cap: new Capability(cap), key: cap.rpcKey };
    },
    free: async () => {},
  }, () => {});
  new RpcServerLoop(ipcThread(sys, server, 1), (key, msg, done) => ep.handle(key, msg, done)).start();
  await ep.manage(Secret, { reveal: async () => 'public' });
  const hidden = await ep.manage(Secret, { reveal: async () => 'the secret' });

  /* the forger: its own space, no capability to the victim at all */
  const forger = await newThread(sys, 2, 1);
  const caller = new Okl4Caller(ipcThread(sys, forger, 1));
  const guess = (tid: number, key: number) => rpcClient(Secret, new Capability<Secret>(new Okl4Capability(tid, key)), caller);

  /* thread IDs follow a public layout, keys are small numbers: a short search finds it */
  const found: string[] = [];
  for (let key = 100; key < 104; key++) {
    try {
      found.push(await guess(globalId((1 << 5) | 1, 1), key).reveal());
    } catch (e) {
      /* an unknown key reaches the entrypoint too; only its object lookup says no */
      t.true(e instanceof IpcError, String(e));
    }
  }
  t.deepEqual(found, ['public', 'the secret']);
  t.is((hidden.native as Okl4Capability).rpcKey, 102);

  /* a guessed thread that does not exist is the only thing the kernel refuses */
  await t.throwsAsync(guess(globalId((7 << 5) | 1, 1), 102).reveal(), { instanceOf: InvalidCapability });
});

test('cap_forgery on okl4: guessed capabilities reach the victim (the documented difference)', async (t) => {
  const sc = await loadScenario('cap_forgery');
  if (!sc) return t.pass('no cap_forgery scenario in this tree');
  const backend = new Okl4Backend((mib) => new Pc({ ramBytes: mib * 1024 * 1024 }));
  const r = await runScenario(sc, backend, await bootModulesFor(sc, await loadTargets()));
  await r.system.shutdown();
  t.is(r.status, 'success', r.reason);
  const line = r.output.find((l) => l.includes('forged capabilities reached the victim'));
  const reached = Number(/\] (\d+) of/.exec(line ?? '')?.[1] ?? 0);
  t.true(reached > 0, line);
  t.regex(line ?? '', /does not protect capabilities/);
});
