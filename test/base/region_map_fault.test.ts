/* Core's region map as the pager sees it: flexpages for faults, nesting, fault handlers. */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { DataspaceComponent } from '../../base/src/core/dataspace_component.js';
import { ManagedDataspace, RegionMapComponent } from '../../base/src/core/region_map_component.js';
import { corePager } from '../../base/src/core/pager.js';
import type { Entrypoint } from '../../base/src/lib/entrypoint.js';
import type { PlatformPd } from '../../base/src/core/platform.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Dataspaces by capability, as core's entrypoint would find them. */
function world() {
  const objects = new Map<unknown, object>();
  const ep = { local: (cap: Capability<unknown>) => objects.get(cap) } as unknown as Entrypoint;
  const cap = (o: object) => {
    const c = new Capability({ valid: true } as never);
    objects.set(c, o);
    return c as Capability<never>;
  };
  const unmapped: Array<[number, number]> = [];
  const signals: unknown[] = [];
  const space = new RegionMapComponent(ep, { unmap: (v, s) => unmapped.push([v, s]) }, (sigh) => signals.push(sigh));
  const managed = (size: number) => {
    const rm = new RegionMapComponent(ep, undefined, (sigh) => signals.push(sigh), 0, size);
    rm.managed = { ds: new ManagedDataspace(rm, size), cap: Capability.invalid() };
    return { rm, cap: cap(rm.managed.ds) };
  };
  return { ep, cap, space, managed, unmapped, signals };
}

const attr = (at: number, writeable = true, executable = false) => ({ size: 0, offset: 0, useAt: true, at, writeable, executable });

test('attaching maps nothing; a fault maps the largest aligned flexpage around it', async (t) => {
  const w = world();
  const ds = new DataspaceComponent(64 * MiB, 8 * MiB, true, undefined);
  const r = await w.space.attach(w.cap(ds), attr(0x1000_0000));
  t.deepEqual(r, { start: 0x1000_0000, numBytes: 8 * MiB });
  const f = w.space.resolve(0x1012_3456, 'write');
  t.deepEqual(f, { kind: 'map', page: { vaddr: 0x1000_0000, phys: 64 * MiB, size: 4 * MiB, writeable: true, executable: false } });
});

test('a flexpage respects the alignment of virtual and physical addresses alike', async (t) => {
  const w = world();
  const ds = new DataspaceComponent(64 * MiB + 4 * KiB, 1 * MiB, true, undefined);
  await w.space.attach(w.cap(ds), attr(0x1000_0000));
  const f = w.space.resolve(0x1000_5000, 'read');
  t.is(f.kind, 'map');
  if (f.kind === 'map') t.deepEqual([f.page.vaddr, f.page.phys, f.page.size], [0x1000_5000, 64 * MiB + 0x6000, 4 * KiB]);
});

test('a write to a read-only region or an exec of a non-executable one is unresolved', async (t) => {
  const w = world();
  await w.space.attach(w.cap(new DataspaceComponent(64 * MiB, 4 * KiB, false, undefined)), attr(0x1000_0000));
  t.is(w.space.resolve(0x1000_0000, 'read').kind, 'map');
  const wr = w.space.resolve(0x1000_0000, 'write');
  t.like(wr, { kind: 'unresolved', why: 'the region is read-only' });
  t.like(w.space.resolve(0x1000_0000, 'exec'), { kind: 'unresolved', why: 'the region is not executable' });
});

test('a fault walks into a managed map, cut to its window; a hole goes to its handler', async (t) => {
  const w = world();
  const sub = w.managed(1 * MiB);
  await sub.rm.attach(w.cap(new DataspaceComponent(64 * MiB, 2 * MiB, true, undefined)), { ...attr(0), size: 512 * KiB });
  await w.space.attach(sub.cap, attr(0x2000_0000));
  const f = w.space.resolve(0x2000_1000, 'read');
  t.deepEqual(f, { kind: 'map', page: { vaddr: 0x2000_0000, phys: 64 * MiB, size: 512 * KiB, writeable: true, executable: false } });
  const hole = w.space.resolve(0x2008_0000, 'read');
  t.like(hole, { kind: 'unresolved', addr: 0x8_0000 });

  /* the pager: without a handler the fault is the PD's; with one it waits for an attach */
  const pd = { label: 'child' } as PlatformPd;
  const pager = corePager(() => w.space);
  const failed = pager(pd, { addr: 0x2008_0000, access: 'read', thread: 'main' });
  t.is(failed.kind, 'fail');
  if (failed.kind === 'fail') t.regex(failed.reason, /READ at 0x20080000 by thread "main": no region is attached there \(in a managed region map, at 0x80000/);
  const sigh = new Capability({ valid: true } as never);
  await sub.rm.faultHandler(sigh as never);
  const waiting = pager(pd, { addr: 0x2008_0000, access: 'write', thread: 'main' });
  t.is(waiting.kind, 'wait');
  t.deepEqual(w.signals, [sigh]);
  t.deepEqual(await sub.rm.state(), { type: 'WRITE_FAULT', addr: 0x8_0000 });
  await sub.rm.attach(w.cap(new DataspaceComponent(80 * MiB, 4 * KiB, true, undefined)), attr(0x8_0000));
  if (waiting.kind === 'wait') await waiting.retry;
  t.deepEqual(await sub.rm.state(), { type: 'READY', addr: 0 });
  t.like(pager(pd, { addr: 0x2008_0000, access: 'write', thread: 'main' }), { kind: 'map', vaddr: 0x2008_0000, phys: 80 * MiB });
});

test('a detach in a managed map unmaps it where the map is attached', async (t) => {
  const w = world();
  const sub = w.managed(1 * MiB);
  await sub.rm.attach(w.cap(new DataspaceComponent(64 * MiB, 64 * KiB, true, undefined)), attr(128 * KiB));
  await w.space.attach(sub.cap, attr(0x2000_0000));
  await sub.rm.detach(128 * KiB);
  t.deepEqual(w.unmapped, [[0x2002_0000, 64 * KiB]]);
});
