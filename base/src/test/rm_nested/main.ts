/* test-rm_nested: managed region maps attached into the address space, two levels deep. */
import { BadArgument } from '../../errors.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { LogSession } from '../../session/log/session.js';
import { RegionMap } from '../../session/region_map/session.js';
import { RmSession } from '../../session/rm/session.js';

const KiB = 1024;

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  let failed = false;
  const expect = async (what: string, ok: boolean) => {
    if (!ok) failed = true;
    await log.session.write(`${what}: ${ok ? 'ok' : 'Error: unexpected result'}`);
  };
  const at = (where: number) => ({ useAt: true, at: where });
  /* an access: faults the page in through core's pager where it is not mapped yet */
  const byteAt = async (addr: number): Promise<number | undefined> => {
    await env.touch(addr, 1);
    return env.view(addr, 1)[0];
  };
  /* whether the page tables map `addr` now (looking raises no fault) */
  const mapped = (addr: number) => env.runtime.accessible(addr, 'read') > 0;
  const filled = async (value: number) => {
    const ds = await env.pd.alloc(4 * KiB);
    const a = await env.attach(ds);
    env.view(a, 4 * KiB).fill(value);
    await env.rm.detach(a);
    return ds;
  };

  const rm = await Connection.open(env, RmSession);
  const sub = env.rpc(RegionMap, await rm.retryWithUpgrade(() => rm.session.create(1024 * KiB)));
  await sub.attach(await filled(0xa1), { size: 0, offset: 0, executable: false, writeable: true, ...at(0) });
  await sub.attach(await filled(0xb2), { size: 0, offset: 0, executable: false, writeable: true, ...at(64 * KiB) });
  /* the managed map has holes: touching it all would fault on them */
  const base = await env.attach(await sub.dataspace(), { touch: false });
  await expect('attaching maps nothing', !mapped(base) && !mapped(base + 64 * KiB));
  await expect('regions of a managed map appear where it is attached', (await byteAt(base)) === 0xa1 && (await byteAt(base + 64 * KiB)) === 0xb2);

  await sub.attach(await filled(0xc3), { size: 0, offset: 0, executable: false, writeable: true, ...at(128 * KiB) });
  await expect('a later attach shows up too', (await byteAt(base + 128 * KiB)) === 0xc3);

  await sub.detach(64 * KiB);
  await expect('a detach in the managed map unmaps it', !mapped(base + 64 * KiB) && mapped(base));

  const inner = env.rpc(RegionMap, await rm.retryWithUpgrade(() => rm.session.create(256 * KiB)));
  await inner.attach(await filled(0xd4), { size: 0, offset: 0, executable: false, writeable: true, ...at(4 * KiB) });
  await sub.attach(await inner.dataspace(), { size: 0, offset: 0, executable: false, writeable: true, ...at(512 * KiB) });
  await expect('a map nested two levels deep', (await byteAt(base + 516 * KiB)) === 0xd4);

  try {
    await sub.attach(await sub.dataspace(), { size: 0, offset: 0, executable: false, writeable: true, ...at(768 * KiB) });
    await expect('attaching a map into itself is refused', false);
  } catch (e) {
    await expect('attaching a map into itself is refused', e instanceof BadArgument);
  }

  env.view(base, 1)[0] = 0x5a;
  await expect('writes through the nested mapping reach the memory', (await byteAt(base)) === 0x5a);

  await env.rm.detach(base);
  await expect('detaching the managed map unmaps all of it', !mapped(base) && !mapped(base + 516 * KiB));
  await rm.close();
  await log.session.write(failed ? 'Error: nested region map test failed' : '--- finished nested region map test ---');
  await env.exit(failed ? 1 : 0);
}
