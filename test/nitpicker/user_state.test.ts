/* nitpicker's input routing and stacking, without a kernel: fake clients and a fake display. */
import test from 'ava';
import type { Rect } from '../../os/src/lib/surface.js';
import { InputEventType, type InputEvent } from '../../os/src/session/input/event.js';
import { KEY } from '../../os/src/session/input/keycodes.js';
import { UserState, type InputClient } from '../../os/src/server/nitpicker/user_state.js';
import { View, ViewStack } from '../../os/src/server/nitpicker/view_stack.js';

class Client implements InputClient {
  readonly got: InputEvent[] = [];
  pixelBuffer = undefined;
  constructor(readonly label: string) {}
  submit(events: InputEvent[]): void {
    this.got.push(...events);
  }
  keys(): string[] {
    return this.got.filter((e) => e.type === InputEventType.PRESS || e.type === InputEventType.RELEASE)
      .map((e) => `${e.type === InputEventType.PRESS ? '+' : '-'}${'code' in e ? e.code : ''}`);
  }
}

function setup() {
  const stack = new ViewStack();
  const a = new Client('a');
  const b = new Client('b');
  const trusted = new Client('trusted');
  const view = (c: Client, r: Rect) => {
    const v = new View(c, 1);
    v.rect = r;
    stack.toFront(v);
    return v;
  };
  const vt = view(trusted, { x: 0, y: 0, w: 50, h: 50 });
  const va = view(a, { x: 100, y: 100, w: 100, h: 100 });
  const vb = view(b, { x: 300, y: 100, w: 100, h: 100 });
  const redraws: Rect[] = [];
  const user = new UserState(stack, 640, 480, { xrayKey: KEY.KEY_SCROLLLOCK!, emergencyKey: KEY.KEY_F12!, trusted: () => trusted });
  user.display = { redraw: async (r) => void redraws.push(r), redrawAll: async () => void redraws.push({ x: 0, y: 0, w: 640, h: 480 }), pointerRect: () => ({ x: user.pointerX, y: user.pointerY, w: 11, h: 17 }) };
  const at = (x: number, y: number) => user.handle({ type: InputEventType.ABSOLUTE, x, y });
  const press = (code: number) => user.handle({ type: InputEventType.PRESS, code });
  const release = (code: number) => user.handle({ type: InputEventType.RELEASE, code });
  const tap = async (code: number) => { await press(code); await release(code); };
  return { stack, a, b, trusted, va, vb, vt, user, redraws, at, press, release, tap };
}

test('keys go to the focused client only; a click moves the focus', async (t) => {
  const s = setup();
  await s.tap(KEY.KEY_A!);
  t.deepEqual([s.a.keys(), s.b.keys()], [[], []], 'nobody is focused at first');
  await s.at(150, 150);
  await s.tap(KEY.BTN_LEFT!);
  await s.tap(KEY.KEY_A!);
  t.is(s.user.focused, s.a);
  t.deepEqual(s.a.keys(), [`+${KEY.BTN_LEFT}`, `-${KEY.BTN_LEFT}`, `+${KEY.KEY_A}`, `-${KEY.KEY_A}`]);
  t.deepEqual(s.b.keys(), []);
});

test('motion goes to the client under the pointer, or to the one holding a press', async (t) => {
  const s = setup();
  await s.at(150, 150);
  await s.at(350, 150);
  t.deepEqual(s.a.got, [{ type: InputEventType.ABSOLUTE, x: 150, y: 150 }, { type: InputEventType.HOVER_LEAVE }]);
  t.deepEqual(s.b.got, [{ type: InputEventType.ABSOLUTE, x: 350, y: 150 }]);
  await s.press(KEY.BTN_LEFT!);
  await s.at(150, 150); // dragging from b over a: b keeps the events
  await s.release(KEY.BTN_LEFT!);
  t.deepEqual(s.b.got.slice(-3), [{ type: InputEventType.PRESS, code: KEY.BTN_LEFT }, { type: InputEventType.ABSOLUTE, x: 150, y: 150 }, { type: InputEventType.RELEASE, code: KEY.BTN_LEFT }]);
  t.is(s.a.got.length, 2);
});

test('the client the pointer leaves gets one hover-leave; none during a grab', async (t) => {
  const s = setup();
  const leaves = (c: Client) => c.got.filter((e) => e.type === InputEventType.HOVER_LEAVE).length;
  await s.at(150, 150);
  await s.at(160, 150);
  t.is(leaves(s.a), 0, 'moving within a');
  await s.at(600, 400); // the background: nobody's view
  t.is(leaves(s.a), 1);
  await s.at(610, 400);
  t.is(leaves(s.a), 1, 'only once');
  await s.at(350, 150);
  await s.press(KEY.BTN_LEFT!);
  await s.at(150, 150); // dragging b's press over a: b keeps everything, no leave yet
  t.is(leaves(s.b), 0);
  await s.release(KEY.BTN_LEFT!);
  await s.at(151, 150); // the grab ended over a: now b learns the pointer left it
  t.is(leaves(s.b), 1);
  t.deepEqual(s.a.got.at(-1), { type: InputEventType.ABSOLUTE, x: 151, y: 150 });
});

test('a hover-leave from nitpicker\'s own input hides the pointer until it moves, and is passed on', async (t) => {
  const s = setup();
  await s.at(150, 150);
  t.true(s.user.pointerVisible);
  s.redraws.length = 0;
  await s.user.handle({ type: InputEventType.HOVER_LEAVE });
  t.false(s.user.pointerVisible);
  t.deepEqual(s.redraws, [{ x: 150, y: 150, w: 11, h: 17 }], 'the pointer is wiped where it was');
  t.deepEqual(s.a.got.at(-1), { type: InputEventType.HOVER_LEAVE });
  await s.at(155, 150);
  t.true(s.user.pointerVisible);
  t.deepEqual(s.a.got.at(-1), { type: InputEventType.ABSOLUTE, x: 155, y: 150 });
});

test('relative motion is clamped to the screen', async (t) => {
  const s = setup();
  await s.user.handle({ type: InputEventType.MOTION, x: -5000, y: 9000 });
  t.deepEqual([s.user.pointerX, s.user.pointerY], [0, 479]);
});

test('the X-ray and emergency keys never reach a client', async (t) => {
  const s = setup();
  await s.at(150, 150);
  await s.tap(KEY.BTN_LEFT!);
  await s.tap(KEY.KEY_SCROLLLOCK!);
  t.true(s.user.xray);
  await s.tap(KEY.KEY_F12!);
  t.is(s.user.focused, s.trusted);
  t.is(s.stack.views[0], s.vt, 'the trusted client is raised');
  t.deepEqual(s.a.keys(), [`+${KEY.BTN_LEFT}`, `-${KEY.BTN_LEFT}`]);
  await s.tap(KEY.KEY_B!);
  t.deepEqual(s.trusted.keys(), [`+${KEY.KEY_B}`, `-${KEY.KEY_B}`]);
});

test('a key held when the focus changes is released to the client that got its press', async (t) => {
  const s = setup();
  await s.at(150, 150);
  await s.tap(KEY.BTN_LEFT!);
  await s.press(KEY.KEY_LEFTSHIFT!);
  await s.tap(KEY.KEY_F12!);
  await s.release(KEY.KEY_LEFTSHIFT!);
  t.deepEqual(s.a.keys().slice(-2), [`+${KEY.KEY_LEFTSHIFT}`, `-${KEY.KEY_LEFTSHIFT}`], 'no key stays stuck');
  await s.tap(KEY.KEY_C!);
  t.deepEqual(s.trusted.keys(), [`+${KEY.KEY_C}`, `-${KEY.KEY_C}`], 'what follows goes to the trusted client');
});

test('a client that went away receives nothing more', async (t) => {
  const s = setup();
  await s.at(150, 150);
  await s.tap(KEY.BTN_LEFT!);
  s.stack.remove(s.va);
  s.user.forget(s.a);
  const before = s.a.got.length;
  await s.tap(KEY.KEY_A!);
  await s.at(160, 160);
  t.is(s.a.got.length, before);
  t.is(s.user.focused, undefined);
});

test('stacking: in front of and behind a neighbour, or of all', (t) => {
  const s = setup();
  const order = () => s.stack.views.map((v) => v.owner.label);
  t.deepEqual(order(), ['b', 'a', 'trusted']);
  s.stack.toBack(s.vb);
  t.deepEqual(order(), ['a', 'trusted', 'b']);
  s.stack.toFront(s.vb, s.vt);
  t.deepEqual(order(), ['a', 'b', 'trusted']);
  s.stack.toBack(s.va, s.vb);
  t.deepEqual(order(), ['b', 'a', 'trusted']);
  t.is(s.stack.at(150, 150), s.va);
  t.is(s.stack.at(10, 10), s.vt);
  t.is(s.stack.at(600, 400), undefined);
});
