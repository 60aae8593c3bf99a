/*
 * test-rm_attach: attaching and detaching dataspaces in the component's region map.
 */
import { Capability } from '../../capability.js';
import { InvalidDataspace, RegionConflict } from '../../errors.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  let failed = false;
  const expect = async (what: string, ok: boolean) => {
    if (!ok) failed = true;
    await say(`${what}: ${ok ? 'ok' : 'Error: unexpected result'}`);
  };

  const ds = await env.pd.alloc(3 * 4096);
  const a = await env.attach(ds);
  env.view(a, 3 * 4096).fill(0x11);
  env.view(a + 4096, 4).set([7, 7, 7, 7]);

  /* the same dataspace twice: both mappings see the same memory */
  const b = await env.attach(ds);
  await expect('second attach shares the memory', b !== a && env.view(b + 4096, 4).join() === '7,7,7,7');

  /* attach at a chosen address, then an overlapping attach is refused */
  const at = 0x2000_0000;
  await expect('attach at a fixed address', (await env.attach(ds, { useAt: true, at })) === at);
  try {
    await env.attach(ds, { useAt: true, at: at + 4096 });
    await expect('overlapping attach refused', false);
  } catch (e) {
    await expect('overlapping attach refused', e instanceof RegionConflict);
  }

  /* attach with offset and size */
  const c = await env.attach(ds, { offset: 4096, size: 4096 });
  await expect('attach with offset', env.view(c, 4).join() === '7,7,7,7');

  /* after detach the range is gone: touching it faults */
  await env.rm.detach(b);
  let faulted = false;
  try {
    env.view(b, 4);
  } catch {
    faulted = true;
  }
  await expect('detached range is unmapped', faulted);

  /* an invalid capability is not a dataspace */
  try {
    await env.attach(Capability.invalid());
    await expect('invalid dataspace refused', false);
  } catch (e) {
    await expect('invalid dataspace refused', e instanceof InvalidDataspace || (e as Error).name === 'InvalidCapability');
  }

  /* freeing the dataspace removes it from every region it was attached to */
  await env.pd.free(ds);
  let gone = 0;
  for (const addr of [a, at, c]) {
    try { env.view(addr, 4); } catch { gone++; }
  }
  await expect('free detaches everywhere', gone === 3);
  await say(failed ? 'Error: rm_attach test failed' : '--- rm_attach test finished ---');
  await env.exit(failed ? 1 : 0);
}
