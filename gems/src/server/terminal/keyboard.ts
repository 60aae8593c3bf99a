/*
 * Keys of nitpicker's Input (Genode key codes) as the bytes a VT100/xterm sends: a US
 * layout with shift and caps lock, control characters with ctrl, ESC in front with alt,
 * and escape sequences for cursor, editing and function keys (cursor keys as ESC O x in
 * the application cursor mode a program can switch on, as xterm does).
 */
import { KEY } from '../../../../os/src/session/input/keycodes.js';

/** Key code -> [unshifted, shifted] characters. */
const CHARS = new Map<number, readonly [string, string]>();
const row = (first: number, plain: string, shifted: string) => {
  for (let i = 0; i < plain.length; i++) CHARS.set(first + i, [plain[i]!, shifted[i]!]);
};
row(KEY.KEY_1!, '1234567890-=', '!@#$%^&*()_+');
row(KEY.KEY_Q!, 'qwertyuiop[]', 'QWERTYUIOP{}');
row(KEY.KEY_A!, "asdfghjkl;'`", 'ASDFGHJKL:"~');
row(KEY.KEY_BACKSLASH!, '\\zxcvbnm,./', '|ZXCVBNM<>?');
CHARS.set(KEY.KEY_SPACE!, [' ', ' ']);
CHARS.set(KEY.KEY_KPASTERISK!, ['*', '*']);
CHARS.set(KEY.KEY_KPMINUS!, ['-', '-']);
CHARS.set(KEY.KEY_KPPLUS!, ['+', '+']);
CHARS.set(KEY.KEY_KPSLASH!, ['/', '/']);

const FIXED = new Map<number, string>([
  [KEY.KEY_ENTER!, '\r'], [KEY.KEY_KPENTER!, '\r'], [KEY.KEY_BACKSPACE!, '\x7f'], [KEY.KEY_TAB!, '\t'], [KEY.KEY_ESC!, '\x1b'],
  [KEY.KEY_HOME!, '\x1b[H'], [KEY.KEY_END!, '\x1b[F'], [KEY.KEY_INSERT!, '\x1b[2~'], [KEY.KEY_DELETE!, '\x1b[3~'],
  [KEY.KEY_PAGEUP!, '\x1b[5~'], [KEY.KEY_PAGEDOWN!, '\x1b[6~'],
  [KEY.KEY_F1!, '\x1bOP'], [KEY.KEY_F2!, '\x1bOQ'], [KEY.KEY_F3!, '\x1bOR'], [KEY.KEY_F4!, '\x1bOS'],
  [KEY.KEY_F5!, '\x1b[15~'], [KEY.KEY_F6!, '\x1b[17~'], [KEY.KEY_F7!, '\x1b[18~'], [KEY.KEY_F8!, '\x1b[19~'],
  [KEY.KEY_F9!, '\x1b[20~'], [KEY.KEY_F10!, '\x1b[21~'], [KEY.KEY_F11!, '\x1b[23~'], [KEY.KEY_F12!, '\x1b[24~'],
]);

const CURSOR = new Map<number, string>([[KEY.KEY_UP!, 'A'], [KEY.KEY_DOWN!, 'B'], [KEY.KEY_RIGHT!, 'C'], [KEY.KEY_LEFT!, 'D']]);

export class Keyboard {
  private shift = 0;
  private ctrl = 0;
  private alt = 0;
  private capsLock = false;

  get shifted(): boolean {
    return this.shift > 0;
  }

  /** Bytes (as a string of char codes < 0x80) a press sends, '' for none; releases only track modifiers. */
  press(code: number, applicationCursor: boolean): string {
    switch (code) {
      case KEY.KEY_LEFTSHIFT: case KEY.KEY_RIGHTSHIFT: this.shift++; return '';
      case KEY.KEY_LEFTCTRL: case KEY.KEY_RIGHTCTRL: this.ctrl++; return '';
      case KEY.KEY_LEFTALT: case KEY.KEY_RIGHTALT: this.alt++; return '';
      case KEY.KEY_CAPSLOCK: this.capsLock = !this.capsLock; return '';
    }
    const cursor = CURSOR.get(code);
    if (cursor) return `\x1b${applicationCursor ? 'O' : '['}${cursor}`;
    const fixed = FIXED.get(code);
    if (fixed !== undefined) return this.alt > 0 && fixed.length === 1 ? `\x1b${fixed}` : fixed;
    const chars = CHARS.get(code);
    if (!chars) return '';
    const letter = chars[0] >= 'a' && chars[0] <= 'z';
    let ch = chars[(this.shift > 0) !== (letter && this.capsLock) ? 1 : 0];
    if (this.ctrl > 0) {
      const c = ch.toUpperCase().charCodeAt(0);
      if (c >= 0x40 && c <= 0x5f) ch = String.fromCharCode(c & 0x1f); // ctrl-A..ctrl-_, ctrl-[ = ESC
      else if (ch === ' ' || ch === '2' || ch === '@') ch = '\0';
      else if (ch === '/') ch = '\x1f';
    }
    return this.alt > 0 ? `\x1b${ch}` : ch;
  }

  release(code: number): void {
    switch (code) {
      case KEY.KEY_LEFTSHIFT: case KEY.KEY_RIGHTSHIFT: this.shift = Math.max(0, this.shift - 1); break;
      case KEY.KEY_LEFTCTRL: case KEY.KEY_RIGHTCTRL: this.ctrl = Math.max(0, this.ctrl - 1); break;
      case KEY.KEY_LEFTALT: case KEY.KEY_RIGHTALT: this.alt = Math.max(0, this.alt - 1); break;
    }
  }
}
