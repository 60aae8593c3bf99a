import test from 'ava';
import type { Env } from '../../base/src/lib/env.js';
import type { Client } from '../../base/src/lib/env.js';
import type { Rect } from '../../os/src/session/framebuffer/session.js';
import type { NitpickerSession } from '../../os/src/session/nitpicker/session.js';
import { checkModuleName } from '../../os/src/server/loader/rom_modules.js';
import { NitpickerProxy, ViewPlacement } from '../../os/src/server/loader/virtual_nitpicker.js';

/** A real nitpicker session that records what the proxy asks of it. */
function fakeNitpicker() {
  const calls: string[] = [];
  let next = 1;
  const real = {
    mode: async () => ({ width: 640, height: 480 }),
    buffer: async (w: number, h: number) => void calls.push(`buffer ${w}x${h}`),
    createView: async () => next++,
    geometry: async (v: number, r: Rect) => void calls.push(`geometry ${v} ${r.x},${r.y} ${r.w}x${r.h}`),
    offset: async (v: number, x: number, y: number) => void calls.push(`offset ${v} ${x},${y}`),
    destroyView: async (v: number) => void calls.push(`destroy ${v}`),
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

test('the first view is placed inside the parent view, clipped, and signals view_ready once', async (t) => {
  const placement = new ViewPlacement();
  placement.parent = { x: 40, y: 30, w: 200, h: 150 };
  const { proxy, calls, signals } = proxyWith(placement);
  const v = await proxy.createView();
  await proxy.geometry(v, { x: 0, y: 0, w: 120, h: 80 });
  await proxy.geometry(v, { x: 5, y: 5, w: 120, h: 80 });
  t.is(signals(), 1);
  t.deepEqual(proxy.asked, { x: 5, y: 5, w: 120, h: 80 });
  /* the client's view_geometry wins over the subsystem's, and its offset too */
  placement.geometry = { r: { x: 150, y: 100, w: 120, h: 80 }, x: 3, y: 4 };
  await proxy.place();
  await proxy.offset(v, 9, 9);
  t.deepEqual(calls, [`geometry ${v} 40,30 120x80`, `geometry ${v} 45,35 120x80`, `geometry ${v} 190,130 50x50`, `offset ${v} 3,4`]);
  /* entirely outside the parent view: nothing of it shows */
  placement.geometry = { r: { x: -500, y: 0, w: 10, h: 10 }, x: 0, y: 0 };
  await proxy.place();
  t.regex(calls.at(-2)!, /geometry \d+ 40,30 0x10|geometry \d+ 40,30 0x0/);
  /* other views are translated and clipped the same way */
  const w = await proxy.createView();
  await proxy.geometry(w, { x: 190, y: 0, w: 40, h: 10 });
  t.is(calls.at(-1), `geometry ${w} 230,30 10x10`);
});

test('without a parent view the view is where the subsystem puts it', async (t) => {
  const placement = new ViewPlacement();
  const { proxy, calls } = proxyWith(placement);
  const v = await proxy.createView();
  await proxy.geometry(v, { x: 7, y: 8, w: 9, h: 10 });
  t.deepEqual(calls, [`geometry ${v} 7,8 9x10`]);
});

test('module names that cannot be a label element are refused', (t) => {
  for (const bad of ['', 'a -> b', 'a\nb', 'quote"d', 'x'.repeat(65)]) {
    t.throws(() => checkModuleName(bad, 'test'), undefined, JSON.stringify(bad));
  }
  t.notThrows(() => checkModuleName('config', 'test'));
  t.notThrows(() => checkModuleName('x'.repeat(64), 'test'));
});
