/* The gems terminal's parts on the host: keyboard translation and the emulator's drawing. */
import test from 'ava';
import { Keyboard } from '../../gems/src/server/terminal/keyboard.js';
import { Emulator } from '../../gems/src/server/terminal/emulator.js';
import { DEFAULT_BG, DEFAULT_FG, PALETTE } from '../../gems/src/server/terminal/palette.js';
import { KEY } from '../../os/src/session/input/keycodes.js';
import { CHAR_WIDTH, LINE_HEIGHT } from '../../os/src/lib/font.js';
import { Surface } from '../../os/src/lib/surface.js';

const enc = new TextEncoder();

function typed(kb: Keyboard, steps: Array<number | [number, 'release']>, appCursor = false): string {
  let out = '';
  for (const s of steps) {
    if (Array.isArray(s)) kb.release(s[0]);
    else out += kb.press(s, appCursor);
  }
  return out;
}

test('keys become the bytes an xterm sends', (t) => {
  const kb = new Keyboard();
  t.is(typed(kb, [KEY.KEY_H!, KEY.KEY_I!, KEY.KEY_1!, KEY.KEY_SPACE!, KEY.KEY_SLASH!]), 'hi1 /');
  t.is(typed(kb, [KEY.KEY_LEFTSHIFT!, KEY.KEY_A!, KEY.KEY_1!, KEY.KEY_SLASH!, [KEY.KEY_LEFTSHIFT!, 'release'], KEY.KEY_A!]), 'A!?a');
  t.is(typed(kb, [KEY.KEY_LEFTCTRL!, KEY.KEY_C!, KEY.KEY_LEFTBRACE!, KEY.KEY_SPACE!, [KEY.KEY_LEFTCTRL!, 'release']]), '\x03\x1b\0');
  t.is(typed(kb, [KEY.KEY_LEFTALT!, KEY.KEY_X!, [KEY.KEY_LEFTALT!, 'release']]), '\x1bx');
  t.is(typed(kb, [KEY.KEY_CAPSLOCK!, KEY.KEY_A!, KEY.KEY_1!, KEY.KEY_LEFTSHIFT!, KEY.KEY_A!, [KEY.KEY_LEFTSHIFT!, 'release'], KEY.KEY_CAPSLOCK!, KEY.KEY_A!]), 'A1aa');
  t.is(typed(kb, [KEY.KEY_UP!, KEY.KEY_DOWN!, KEY.KEY_RIGHT!, KEY.KEY_LEFT!]), '\x1b[A\x1b[B\x1b[C\x1b[D');
  t.is(typed(kb, [KEY.KEY_UP!], true), '\x1bOA');
  t.is(typed(kb, [KEY.KEY_ENTER!, KEY.KEY_BACKSPACE!, KEY.KEY_TAB!, KEY.KEY_ESC!, KEY.KEY_DELETE!, KEY.KEY_F1!, KEY.KEY_F12!]), '\r\x7f\t\x1b\x1b[3~\x1bOP\x1b[24~');
  /* releases never seen pressed do not drive a modifier negative */
  kb.release(KEY.KEY_LEFTSHIFT!);
  t.is(typed(kb, [KEY.KEY_LEFTSHIFT!, KEY.KEY_B!]), 'B');
  t.is(typed(kb, [KEY.BTN_LEFT!, KEY.KEY_UNKNOWN!]), '');
});

function makeEmulator(columns = 20, lines = 5, scrollback = 50) {
  const answers: string[] = [];
  const emu = new Emulator({ columns, lines, scrollback }, (a) => answers.push(a));
  const surface = new Surface(new Uint32Array(emu.width * emu.height), emu.width, emu.height);
  const draw = () => emu.draw(surface, { x: 0, y: 0, w: emu.width, h: emu.height });
  /* the colours used in a cell (its background first) */
  const cell = (col: number, row: number) => {
    const seen = new Set<number>();
    for (let y = row * LINE_HEIGHT; y < (row + 1) * LINE_HEIGHT; y++) {
      for (let x = col * CHAR_WIDTH; x < (col + 1) * CHAR_WIDTH; x++) seen.add(surface.pixels[y * emu.width + x]!);
    }
    return [...seen];
  };
  return { emu, surface, draw, cell, answers, write: (s: string | Uint8Array) => emu.write(typeof s === 'string' ? enc.encode(s) : s) };
}

test('text is drawn in its colours, the cursor inverted', (t) => {
  const e = makeEmulator();
  e.write('\x1b[31mR\x1b[0m \x1b[1;32mG\x1b[0m \x1b[44mB\x1b[0m \x1b[38;2;1;2;3mT\x1b[7mI');
  e.draw();
  t.deepEqual(e.cell(0, 0), [DEFAULT_BG, PALETTE[1]]);
  t.deepEqual(e.cell(2, 0), [DEFAULT_BG, PALETTE[10]], 'bold green shows bright');
  t.deepEqual(e.cell(4, 0), [PALETTE[4], DEFAULT_FG]);
  t.deepEqual(e.cell(6, 0), [DEFAULT_BG, 0x010203]);
  t.deepEqual(e.cell(7, 0), [0x010203, DEFAULT_BG], 'inverse');
  t.deepEqual(e.cell(8, 0), [DEFAULT_FG], 'the cursor cell, empty and inverted');
  e.write('\x1b[?25l');
  e.draw();
  t.deepEqual(e.cell(8, 0), [DEFAULT_BG], 'a hidden cursor is not drawn');
});

test('cursor movement, erasing, and the answer to a cursor position request', (t) => {
  const e = makeEmulator();
  e.write('\x1b[3;5HX\x1b[1;1Habcdef\x1b[3D\x1b[K\x1b[6n');
  e.draw();
  t.is(e.cell(4, 2).length, 2, 'X at line 3, column 5');
  t.is(e.cell(2, 0).length, 2);
  t.deepEqual(e.cell(4, 0), [DEFAULT_BG], 'erased to the end of the line');
  t.deepEqual(e.answers, ['\x1b[1;4R']);
});

test('the scrollback keeps lines that left the screen', (t) => {
  const e = makeEmulator(20, 5, 50);
  for (let i = 0; i < 30; i++) e.write(`line ${i}\r\n`);
  e.draw();
  const bottom = [...e.surface.pixels];
  e.emu.scroll(-10);
  e.draw();
  t.notDeepEqual([...e.surface.pixels], bottom);
  e.emu.scrollPage(-100);
  e.draw();
  const top = [...e.surface.pixels];
  const first = makeEmulator(20, 5, 50);
  first.write('line 0\r\nline 1\r\nline 2\r\nline 3\r\nline 4');
  first.write('\x1b[?25l');
  first.draw();
  t.deepEqual(top, [...first.surface.pixels], 'scrolled to the top: the first five lines, no cursor');
  e.emu.follow();
  e.draw();
  t.deepEqual([...e.surface.pixels], bottom);
});

test('hostile output: byte soup, endless parameters and strings, absurd positions', (t) => {
  const e = makeEmulator(80, 25, 100);
  let x = 99;
  const soup = new Uint8Array(256 * 1024).map(() => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x & 0xff;
  });
  e.write(soup);
  e.write(`\x1b[${'1;'.repeat(100_000)}m\x1b[${'9'.repeat(10_000)}H\x1b]0;${'t'.repeat(100_000)}\x07\x1bP${'q'.repeat(100_000)}\x1b\\`);
  e.write('\x1b[99999;99999H\x1b[99999A\x1b[99999@\x1b[99999P\x1b[99999L\x1b[99999M\x1b[99999S\x1b[99999T\x1b[99999X');
  e.draw();
  e.write('\x1bc\x1b[?25lok');
  e.draw();
  t.is(e.cell(0, 0).length, 2, 'still drawing text after the flood');
  t.deepEqual(e.cell(2, 0), [DEFAULT_BG]);
});
