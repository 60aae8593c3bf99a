import test from 'ava';
import type { Capability } from '../../base/src/capability.js';
import type { Client, Env } from '../../base/src/lib/env.js';
import type { Rect } from '../../os/src/session/framebuffer/session.js';
import type { NitpickerSession, NitpickerView } from '../../os/src/session/nitpicker/session.js';
import { checkModuleName } from '../../os/src/server/loader/rom_modules.js';
import { NitpickerProxy, ViewPlacement } from '../../os/src/server/loader/virtual_nitpicker.js';

/** A real nitpicker session that records what the proxy asks of it. */
function fakeNitpicker() {
  const calls: string[] = [];
  let next = 1;
  const real = {
    mode: async () => ({ width: 640, height: 480 }),
    buffer: async (w: number, h: number) => void calls.push(`buffer ${w}x${h}`),
    createView: async () => {
      calls.push(`create ${next}`);
      return next++;
    },
    createChildView: async (p: unknown) => {
      calls.push(`create ${next} in ${String(p)}`);
      return next++;
    },
    geometry: async (v: number, r: Rect) => void calls.push(`geometry ${v} ${r.x},${r.y} ${r.w}x${r.h}`),
    offset: async (v: number, x: number, y: number) => void calls.push(`offset ${v} ${x},${y}`),
  } as unknown as Client<NitpickerSession>;
  return { real, calls };
}

function proxyWith(placement: ViewPlacement) {
  const { real, calls } = fakeNitpicker();
  let signals = 0;
  const env = { submit: async () => void signals++ } as unknown as Env;
  const logged: string[] = [];
  const proxy = new NitpickerProxy(env, real, placement, (t) => logged.push(t), 'sub');
  placement.proxy = proxy;
  placement.viewReadySigh = {} as never;
  return { proxy, calls, logged, signals: () => signals };
}

test('the subsystem sees the constrained mode and cannot exceed it', async (t) => {
  const placement = new ViewPlacement();
  placement.maxSize = { width: 100, height: 50 };
  const { proxy, calls } = proxyWith(placement);
  t.deepEqual(await proxy.mode(), { width: 100, height: 50 });
  await t.throwsAsync(proxy.buffer(101, 50), { message: /exceeds the loader's constrained geometry 100x50/ });
  await t.throwsAsync(proxy.buffer(100, 51));
  await proxy.buffer(100, 50);
  t.deepEqual(calls, ['buffer 100x50']);
});

test('with a parent view every view of the subsystem is a child of it; view_ready once; the client places the first', async (t) => {
  const placement = new ViewPlacement();
  placement.parent = 'PARENT' as unknown as Capability<NitpickerView>;
  const { proxy, calls, signals, logged } = proxyWith(placement);
  const v = await proxy.createView();
  await proxy.geometry(v, { x: 0, y: 0, w: 120, h: 80 });
  await proxy.geometry(v, { x: 5, y: 5, w: 120, h: 80 });
  t.is(signals(), 1);
  t.deepEqual(proxy.asked, { x: 5, y: 5, w: 120, h: 80 });
  /* the client's view_geometry wins over the subsystem's, and its offset too */
  placement.geometry = { r: { x: 150, y: 100, w: 120, h: 80 }, x: 3, y: 4 };
  await proxy.place();
  await proxy.offset(v, 9, 9);
  const w = await proxy.createView();
  await proxy.geometry(w, { x: 1, y: 2, w: 3, h: 4 });
  t.deepEqual(calls, [
    `create ${v} in PARENT`, `geometry ${v} 0,0 120x80`, `geometry ${v} 5,5 120x80`, `geometry ${v} 150,100 120x80`, `offset ${v} 3,4`,
    `create ${w} in PARENT`, `geometry ${w} 1,2 3x4`,
  ]);
  t.deepEqual(logged, ['view of "sub" at 0,0 120x80 in its parent view', 'view of "sub" at 5,5 120x80 in its parent view', 'view of "sub" at 150,100 120x80 in its parent view']);
});

test('without a parent view the view is an ordinary one', async (t) => {
  const placement = new ViewPlacement();
  const { proxy, calls } = proxyWith(placement);
  const v = await proxy.createView();
  await proxy.geometry(v, { x: 7, y: 8, w: 9, h: 10 });
  t.deepEqual(calls, [`create ${v}`, `geometry ${v} 7,8 9x10`]);
});

test('module names that cannot be a label element are refused', (t) => {
  for (const bad of ['', 'a -> b', 'a\nb', 'quote"d', 'x'.repeat(65)]) {
    t.throws(() => checkModuleName(bad, 'test'), undefined, JSON.stringify(bad));
  }
  t.notThrows(() => checkModuleName('config', 'test'));
  t.notThrows(() => checkModuleName('x'.repeat(64), 'test'));
});
