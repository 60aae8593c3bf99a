/* In-process pieces for the runtime tests: a libc over ram, a Timer that counts, the VM with a tick counter. */
import type { Env } from '../../base/src/lib/env.js';
import { luaVmModule } from '../../base/src/loader/lua_vm.js';
import { XmlNode } from '../../base/src/util/xml_node.js';
import { Libc } from '../../libports/src/lib/libc/libc.js';
import type { TimerConnection } from '../../os/src/session/timer/connection.js';

export async function ramLibc(): Promise<Libc> {
  const config = `<config>
    <vfs> <dir name="dev"> <null/> </dir> <dir name="tmp"> <ram/> </dir> <dir name="etc"> <inline name="motd">welcome</inline> </dir> </vfs>
    <libc stdin="/dev/null" stdout="/dev/null" stderr="/dev/null" cwd="/tmp"/>
  </config>`;
  return Libc.fromConfig({} as Env, async () => undefined, XmlNode.parse(config, 'test config'));
}

/** A Timer whose clock advances 1 ms per question. */
export function fakeTimer(): TimerConnection {
  let us = 5_000_000;
  return { session: { elapsedMs: async () => Math.floor((us += 1000) / 1000), elapsedUs: async () => (us += 1000) } } as unknown as TimerConnection;
}

export function meteredVm(limit = Infinity) {
  const meter = { ticks: 0 };
  const vm = luaVmModule((n) => {
    meter.ticks += n;
    if (meter.ticks > limit) throw new RangeError('runaway');
  });
  return { meter, vm };
}
