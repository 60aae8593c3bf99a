/*
 * test-isolation: a hostile component tries every door out of its protection domain and
 * reports each attempt. Every attempt must fail; one that succeeds is an error. Two
 * instances of this binary run side by side, to check they share no module state.
 *
 * The doors: kernel, core and host objects reachable from env or globals (a walk over
 * every object reachable by plain data properties and prototypes), the Function
 * constructor, host globals and Node built-ins, dynamic import, eval with the meter's
 * names, intrinsic poisoning, host time and randomness, memory beyond its own (a view's
 * buffer, unmapped addresses), and the module state and globals of the other instance.
 * Forged capability names are the cap_forgery scenario's.
 */
import { AttachedRamDataspace } from '../../lib/attached_dataspace.js';
import type { Env } from '../../lib/env.js';
import { Connection } from '../../lib/connection.js';
import { LogSession } from '../../session/log/session.js';

/* module state: each instance must see only its own */
let instances = 0;
instances++;

/** Names that only kernel, core or host objects carry. */
const KERNEL_KEYS = new Set([
  'machine', 'rootPd', 'rootTask', 'kernelMemTop', 'kernelMemEnd', 'accounting', 'irqSemaphores', 'spaces',
  'process', 'require', 'execPath', 'binding', 'readFileSync', 'receiveMessageOnPort', 'postMessage', 'workerData',
  'dlopen', 'mainModule', 'platform', 'phys', 'modules', 'caps_', 'objects',
]);
const KERNEL_CLASSES = new Set([
  'Hypervisor', 'Fiasco', 'Okl4Kernel', 'Pd', 'Ec', 'Task', 'Space', 'Pc', 'Ram', 'PhysMemory', 'SharedPhysMemory',
  'MessagePort', 'Worker', 'EventEmitter', 'process', 'Module', 'UserDomain', 'Meter', 'RunQueue', 'IdleLoop',
  'NovaCorePlatform', 'FocCorePlatform', 'Okl4CorePlatform', 'LinuxCorePlatform', 'KernelPort',
]);

function className(o: object): string | undefined {
  try {
    const d = Object.getOwnPropertyDescriptor(Object.getPrototypeOf(o) ?? {}, 'constructor');
    const fn = d && 'value' in d ? d.value : undefined;
    return typeof fn === 'function' ? fn.name : undefined;
  } catch {
    return undefined;
  }
}

/** Walks everything reachable from `roots` by data properties, prototypes and collections. */
function walk(roots: unknown[], limit = 50_000): { visited: number; found: string[] } {
  const seen = new Set<unknown>();
  const queue: Array<{ o: unknown; path: string }> = roots.map((o, i) => ({ o, path: `root${i}` }));
  const found: string[] = [];
  while (queue.length > 0 && seen.size < limit) {
    const { o, path } = queue.shift()!;
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) continue;
    seen.add(o);
    const cls = className(o);
    if (cls && KERNEL_CLASSES.has(cls)) found.push(`${path} is a ${cls}`);
    let keys: Array<string | symbol> = [];
    try {
      keys = Reflect.ownKeys(o);
    } catch {
      continue;
    }
    for (const k of keys) {
      if (typeof k === 'string' && KERNEL_KEYS.has(k)) found.push(`${path}.${k}`);
      let d: PropertyDescriptor | undefined;
      try {
        d = Object.getOwnPropertyDescriptor(o, k);
      } catch {
        continue;
      }
      if (d && 'value' in d) queue.push({ o: d.value, path: `${path}.${String(k)}` });
    }
    try {
      queue.push({ o: Object.getPrototypeOf(o), path: `${path}.__proto__` });
    } catch {
      /* a proxy */
    }
    if (o instanceof Map) for (const [k, v] of o) queue.push({ o: k, path: `${path}<key>` }, { o: v, path: `${path}<value>` });
    if (o instanceof Set) for (const v of o) queue.push({ o: v, path: `${path}<item>` });
  }
  return { visited: seen.size, found };
}

export async function construct(env: Env): Promise<void> {
  const log = await Connection.open(env, LogSession);
  let opened = 0;
  const report = async (door: string, result: string | undefined) => {
    if (result === undefined) {
      await log.session.write(`door ${door}: closed`);
    } else {
      opened++;
      await log.session.write(`Error: door ${door} opened: ${result.slice(0, 180)}`);
    }
  };
  /** Runs an attempt: it must throw (or return undefined); a value it returns is what got out. */
  const attempt = async (door: string, fn: () => unknown) => {
    let out: unknown;
    try {
      out = await fn();
    } catch {
      out = undefined;
    }
    await report(door, out === undefined || out === false ? undefined : String(out));
  };

  /* 1. kernel, core and host objects by any path from env and the globals */
  const ds = await AttachedRamDataspace.create(env, 4096);
  let thrown: unknown;
  try {
    env.view(0x0fff_0000, 4096);
  } catch (e) {
    thrown = e;
  }
  const { visited, found } = walk([env, globalThis, thrown, ds, ds.bytes]);
  await report(`object walk over ${visited} objects`, found.length ? found.slice(0, 5).join(', ') : undefined);

  /* 2. the Function constructor, host globals, Node built-ins */
  await attempt('constructor.constructor', () => (function () {}).constructor('return process')());
  await attempt('Function("return this")', () => {
    const g = Function('return this')() as Record<string, unknown> | undefined;
    return g && (g.process || g.require) ? 'reached the host global' : undefined;
  });
  await attempt('host globals', () => {
    const g = globalThis as Record<string, unknown>;
    const names = ['process', 'require', 'Buffer', 'setTimeout', 'setImmediate', 'fetch', 'WebAssembly', 'performance', 'module', 'global']
      .filter((n) => g[n] !== undefined);
    return names.length ? names.join(', ') : undefined;
  });
  await attempt('dynamic import', () => (0, eval)('import("node:fs")'));
  await attempt('dynamic import via Function', () => Function('return import("node:child_process")')());
  await attempt('meter reset by eval', () => (0, eval)('__gt_c = 1e9; "reset"'));
  await attempt('meter tick replaced', () => {
    (globalThis as Record<string, unknown>)['__gt_' + 'tick'] = () => {};
    return (globalThis as Record<string, unknown>)['__gt_' + 'tick'] === undefined ? undefined : 'replaced';
  });

  /* 3. host time and randomness */
  await attempt('Date.now', () => Date.now());
  await attempt('new Date()', () => {
    const t = new Date().getTime();
    return Number.isNaN(t) ? undefined : t;
  });
  await attempt('Math.random', () => Math.random());

  /* 4. poisoning intrinsics shared with others */
  await attempt('Array.prototype.push', () => {
    Array.prototype.push = function () { return 0; };
    return 'replaced';
  });
  await attempt('Object.prototype', () => {
    (Object.prototype as Record<string, unknown>).polluted = true;
    return 'extended';
  });
  await attempt('Promise.prototype.then', () => {
    Promise.prototype.then = function (this: unknown) { return this; } as never;
    return 'replaced';
  });
  await attempt('Reflect metadata of others', () => {
    const r = Reflect as unknown as Record<string, unknown>;
    return r === Object.getPrototypeOf(Reflect) ? 'shared' : undefined;
  });

  /* 5. memory: a view is exactly the dataspace, unmapped addresses fault */
  await attempt('view beyond the dataspace', () => {
    const b = ds.bytes.buffer.byteLength;
    return b > 4096 ? `a view's buffer holds ${b} bytes` : undefined;
  });
  await attempt('unmapped address', () => env.view(0x0fff_0000, 4096).length);
  await attempt('RAM by physical address', () => env.view(0x100_0000, 4096).length);

  /* 6. the other instance: module state and globals */
  const g = globalThis as Record<string, unknown>;
  const other = g.isolationMark;
  g.isolationMark = env.runtime.label;
  await report('module state of another instance', instances !== 1 ? `${instances} instances share the module` : undefined);
  await report('globals of another instance', other !== undefined ? `saw ${String(other)}` : undefined);

  await log.session.write(opened === 0 ? 'every door is closed' : `Error: ${opened} doors opened`);
  await env.exit(opened === 0 ? 0 : 1);
}
