/*
 * test-nitpicker_screen: the screen and the user of the nitpicker_hostile scenario. It
 * serves nitpicker's Framebuffer (a buffer of its own, so it sees every pixel nitpicker
 * composes) and Input (so it can click and type), and checks the trusted-path promises
 * on the screen: X-ray mode dims the clients and labels every view with its client's
 * real session label, drawn over whatever the client painted there; the emergency key
 * brings the trusted client back to the front.
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { TestScreenRoot } from '../framebuffer/screen_root.js';
import { LINE_HEIGHT } from '../../lib/font.js';
import { InputRoot } from '../../lib/input_root.js';
import { openLog } from '../../lib/log.js';
import { Surface, type Rect } from '../../lib/surface.js';
import { InputEventType, type InputEvent } from '../../session/input/event.js';
import { KEY } from '../../session/input/keycodes.js';
import {
  AFTER_EMERGENCY_KEY, FAKE_LABEL, FAKE_LABEL_COLOR, FAKE_LABEL_SAMPLE, FINAL_KEY, HOSTILE_COLOR, HOSTILE_SAMPLE,
  HOSTILE_SPOT, SCREEN, VICTIM_COLOR, VICTIM_KEYS, VICTIM_SAMPLE, VICTIM_SPOT,
} from './layout.js';

/* what nitpicker promises to draw in X-ray mode (the test's specification of it) */
const LABEL_BAR_HEIGHT = LINE_HEIGHT + 2;
const MENUBAR_HEIGHT = LINE_HEIGHT + 4;
const UNFOCUSED_BAR = 0xd0d0d0;
const MENUBAR = 0xd02020;
const dim = (p: number) => (p >>> 1) & 0x7f7f7f;

const { width: W, height: H } = SCREEN;

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const waiters: Array<{ ready: () => boolean; go: () => void }> = [];
  const screen = new TestScreenRoot(env, W, H, () => {
    for (const w of [...waiters]) if (w.ready()) waiters.splice(waiters.indexOf(w), 1) && w.go();
  });
  const input = new InputRoot(env);
  await screen.announce();
  await input.announce();

  const pixel = (p: { x: number; y: number }) => screen.pixels![p.y * W + p.x]!;
  const until = (ready: () => boolean) => new Promise<void>((go) => {
    if (screen.pixels && ready()) go();
    else waiters.push({ ready: () => screen.pixels !== undefined && ready(), go });
  });
  const hex = (v: number) => `0x${v.toString(16).padStart(6, '0')}`;
  const send = (...events: InputEvent[]) => input.submit(events);
  const click = (p: { x: number; y: number }) => send(
    { type: InputEventType.ABSOLUTE, x: p.x, y: p.y },
    { type: InputEventType.PRESS, code: KEY.BTN_LEFT! },
    { type: InputEventType.RELEASE, code: KEY.BTN_LEFT! },
  );
  const tap = (key: string) => send({ type: InputEventType.PRESS, code: KEY[key]! }, { type: InputEventType.RELEASE, code: KEY[key]! });

  /** Compares a screen rectangle with the picture `paint` draws; logs the first difference. */
  const expectPicture = async (what: string, r: Rect, paint: (s: Surface) => void) => {
    const want = new Surface(new Uint32Array(r.w * r.h), r.w, r.h);
    paint(want);
    for (let y = 0; y < r.h; y++) {
      for (let x = 0; x < r.w; x++) {
        const got = pixel({ x: r.x + x, y: r.y + y });
        const exp = want.pixels[y * r.w + x]!;
        if (got !== exp) return log(`Error: ${what}: pixel (${r.x + x}, ${r.y + y}) is ${hex(got)}, expected ${hex(exp)}`);
      }
    }
    return log(`${what}: as expected`);
  };
  const expectPixel = async (what: string, p: { x: number; y: number }, want: number) => {
    const got = pixel(p);
    await log(got === want ? `${what}: ${hex(got)}` : `Error: ${what}: pixel (${p.x}, ${p.y}) is ${hex(got)}, expected ${hex(want)}`);
  };

  await log('screen and input ready');
  await until(() => pixel(VICTIM_SAMPLE) === VICTIM_COLOR && pixel(HOSTILE_SAMPLE) === HOSTILE_COLOR && pixel(FAKE_LABEL_SAMPLE) === FAKE_LABEL_COLOR);
  await log('victim, hostile window and fake label are on the screen');

  click(VICTIM_SPOT);
  for (const k of VICTIM_KEYS) tap(k);

  tap('KEY_SCROLLLOCK');
  await until(() => pixel({ x: 0, y: 0 }) === MENUBAR);
  await expectPicture('X-ray label over the fake one', { x: FAKE_LABEL.x, y: FAKE_LABEL.y, w: FAKE_LABEL.w, h: LABEL_BAR_HEIGHT }, (s) => {
    s.fill(0, 0, FAKE_LABEL.w, LABEL_BAR_HEIGHT, UNFOCUSED_BAR);
    s.text(3, 1, 'hostile  "secret"', 0x000000);
  });
  await expectPicture('X-ray menubar', { x: 0, y: 0, w: W, h: MENUBAR_HEIGHT }, (s) => {
    s.fill(0, 0, W, MENUBAR_HEIGHT, MENUBAR);
    s.text(6, 2, 'X-Ray   focus: victim', 0xffffff);
  });
  await expectPixel('X-ray dims the unfocused hostile window', HOSTILE_SAMPLE, dim(HOSTILE_COLOR));
  await expectPixel('X-ray dims the rest of the fake label', FAKE_LABEL_SAMPLE, dim(FAKE_LABEL_COLOR));
  await expectPixel('X-ray leaves the focused victim undimmed', VICTIM_SAMPLE, VICTIM_COLOR);
  tap('KEY_SCROLLLOCK');
  await until(() => pixel({ x: 0, y: 0 }) !== MENUBAR);

  /* the hostile client gets the focus, then the emergency key takes it back */
  click(HOSTILE_SPOT);
  tap('KEY_F12');
  await until(() => pixel(FAKE_LABEL_SAMPLE) === VICTIM_COLOR);
  await log('emergency key: the trusted victim is in front again');
  tap(AFTER_EMERGENCY_KEY);

  click(HOSTILE_SPOT);
  tap(FINAL_KEY);
  await log('--- user done ---');
}
