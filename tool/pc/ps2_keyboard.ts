/*
 * A PS/2 keyboard (MF2). It speaks scan code set 2 by default, as real keyboards do; the
 * i8042 translates to set 1 when its config byte asks for it. Set 1 can also be selected
 * on the keyboard itself with command 0xF0.
 *
 * Keys are named with the DOM `KeyboardEvent.code` values (so a web display can pass
 * `event.code` straight through), plus a few short aliases:
 *   letters  KeyA..KeyZ   (aliases "a".."z")        digits   Digit0..Digit9 (aliases "0".."9")
 *   Enter (Return), Escape (Esc), Space, Backspace, Tab, CapsLock, F1..F12,
 *   ArrowUp/Down/Left/Right (Up, Down, Left, Right), Insert (Ins), Delete (Del), Home, End,
 *   PageUp (PgUp), PageDown (PgDn), PrintScreen, ScrollLock, Pause, NumLock, ContextMenu (Menu),
 *   ShiftLeft/Right (Shift), ControlLeft/Right (Ctrl, Control), AltLeft (Alt), AltRight (AltGr),
 *   MetaLeft/Right (Meta, Super, Win), Backquote, Minus, Equal, BracketLeft, BracketRight,
 *   Backslash, Semicolon, Quote, Comma, Period, Slash, IntlBackslash,
 *   Numpad0..Numpad9, NumpadDecimal, NumpadEnter, NumpadAdd, NumpadSubtract, NumpadMultiply, NumpadDivide.
 * Lookup ignores case.
 */

import { Ps2Device } from './ps2_device.js';

/** Codes with 0xE000 set are sent with an 0xE0 prefix byte. */
const E0 = 0xe000;

/** [name, set 1 make code, set 2 make code] */
const KEYS: ReadonlyArray<readonly [string, number, number]> = [
  ['Escape', 0x01, 0x76],
  ['Digit1', 0x02, 0x16], ['Digit2', 0x03, 0x1e], ['Digit3', 0x04, 0x26], ['Digit4', 0x05, 0x25],
  ['Digit5', 0x06, 0x2e], ['Digit6', 0x07, 0x36], ['Digit7', 0x08, 0x3d], ['Digit8', 0x09, 0x3e],
  ['Digit9', 0x0a, 0x46], ['Digit0', 0x0b, 0x45], ['Minus', 0x0c, 0x4e], ['Equal', 0x0d, 0x55],
  ['Backspace', 0x0e, 0x66], ['Tab', 0x0f, 0x0d],
  ['KeyQ', 0x10, 0x15], ['KeyW', 0x11, 0x1d], ['KeyE', 0x12, 0x24], ['KeyR', 0x13, 0x2d],
  ['KeyT', 0x14, 0x2c], ['KeyY', 0x15, 0x35], ['KeyU', 0x16, 0x3c], ['KeyI', 0x17, 0x43],
  ['KeyO', 0x18, 0x44], ['KeyP', 0x19, 0x4d], ['BracketLeft', 0x1a, 0x54], ['BracketRight', 0x1b, 0x5b],
  ['Enter', 0x1c, 0x5a], ['ControlLeft', 0x1d, 0x14],
  ['KeyA', 0x1e, 0x1c], ['KeyS', 0x1f, 0x1b], ['KeyD', 0x20, 0x23], ['KeyF', 0x21, 0x2b],
  ['KeyG', 0x22, 0x34], ['KeyH', 0x23, 0x33], ['KeyJ', 0x24, 0x3b], ['KeyK', 0x25, 0x42],
  ['KeyL', 0x26, 0x4b], ['Semicolon', 0x27, 0x4c], ['Quote', 0x28, 0x52], ['Backquote', 0x29, 0x0e],
  ['ShiftLeft', 0x2a, 0x12], ['Backslash', 0x2b, 0x5d],
  ['KeyZ', 0x2c, 0x1a], ['KeyX', 0x2d, 0x22], ['KeyC', 0x2e, 0x21], ['KeyV', 0x2f, 0x2a],
  ['KeyB', 0x30, 0x32], ['KeyN', 0x31, 0x31], ['KeyM', 0x32, 0x3a], ['Comma', 0x33, 0x41],
  ['Period', 0x34, 0x49], ['Slash', 0x35, 0x4a], ['ShiftRight', 0x36, 0x59],
  ['NumpadMultiply', 0x37, 0x7c], ['AltLeft', 0x38, 0x11], ['Space', 0x39, 0x29], ['CapsLock', 0x3a, 0x58],
  ['F1', 0x3b, 0x05], ['F2', 0x3c, 0x06], ['F3', 0x3d, 0x04], ['F4', 0x3e, 0x0c], ['F5', 0x3f, 0x03],
  ['F6', 0x40, 0x0b], ['F7', 0x41, 0x83], ['F8', 0x42, 0x0a], ['F9', 0x43, 0x01], ['F10', 0x44, 0x09],
  ['NumLock', 0x45, 0x77], ['ScrollLock', 0x46, 0x7e],
  ['Numpad7', 0x47, 0x6c], ['Numpad8', 0x48, 0x75], ['Numpad9', 0x49, 0x7d], ['NumpadSubtract', 0x4a, 0x7b],
  ['Numpad4', 0x4b, 0x6b], ['Numpad5', 0x4c, 0x73], ['Numpad6', 0x4d, 0x74], ['NumpadAdd', 0x4e, 0x79],
  ['Numpad1', 0x4f, 0x69], ['Numpad2', 0x50, 0x72], ['Numpad3', 0x51, 0x7a], ['Numpad0', 0x52, 0x70],
  ['NumpadDecimal', 0x53, 0x71], ['IntlBackslash', 0x56, 0x61], ['F11', 0x57, 0x78], ['F12', 0x58, 0x07],
  ['NumpadEnter', E0 | 0x1c, E0 | 0x5a], ['ControlRight', E0 | 0x1d, E0 | 0x14],
  ['NumpadDivide', E0 | 0x35, E0 | 0x4a], ['AltRight', E0 | 0x38, E0 | 0x11],
  ['Home', E0 | 0x47, E0 | 0x6c], ['ArrowUp', E0 | 0x48, E0 | 0x75], ['PageUp', E0 | 0x49, E0 | 0x7d],
  ['ArrowLeft', E0 | 0x4b, E0 | 0x6b], ['ArrowRight', E0 | 0x4d, E0 | 0x74], ['End', E0 | 0x4f, E0 | 0x69],
  ['ArrowDown', E0 | 0x50, E0 | 0x72], ['PageDown', E0 | 0x51, E0 | 0x7a], ['Insert', E0 | 0x52, E0 | 0x70],
  ['Delete', E0 | 0x53, E0 | 0x71], ['MetaLeft', E0 | 0x5b, E0 | 0x1f], ['MetaRight', E0 | 0x5c, E0 | 0x27],
  ['ContextMenu', E0 | 0x5d, E0 | 0x2f],
];

/** Keys whose codes are whole sequences rather than one (prefixed) byte. Pause has no break code. */
const SEQUENCE_KEYS: Record<string, { set1: [number[], number[]]; set2: [number[], number[]] }> = {
  PrintScreen: {
    set1: [[0xe0, 0x2a, 0xe0, 0x37], [0xe0, 0xb7, 0xe0, 0xaa]],
    set2: [[0xe0, 0x12, 0xe0, 0x7c], [0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12]],
  },
  Pause: {
    set1: [[0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5], []],
    set2: [[0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77], []],
  },
};

const ALIASES: Record<string, string> = {
  esc: 'Escape', return: 'Enter', shift: 'ShiftLeft', ctrl: 'ControlLeft', control: 'ControlLeft',
  alt: 'AltLeft', altgr: 'AltRight', meta: 'MetaLeft', super: 'MetaLeft', win: 'MetaLeft',
  up: 'ArrowUp', down: 'ArrowDown', left: 'ArrowLeft', right: 'ArrowRight', pgup: 'PageUp',
  pgdn: 'PageDown', del: 'Delete', ins: 'Insert', menu: 'ContextMenu', ' ': 'Space',
};

const BY_LOWER_NAME = new Map<string, string>();
for (const [name] of KEYS) BY_LOWER_NAME.set(name.toLowerCase(), name);
for (const name of Object.keys(SEQUENCE_KEYS)) BY_LOWER_NAME.set(name.toLowerCase(), name);
for (const [alias, name] of Object.entries(ALIASES)) BY_LOWER_NAME.set(alias, name);
for (let i = 0; i < 26; i++) {
  const letter = String.fromCharCode(0x61 + i);
  BY_LOWER_NAME.set(letter, `Key${letter.toUpperCase()}`);
}
for (let d = 0; d < 10; d++) BY_LOWER_NAME.set(String(d), `Digit${d}`);

const CODES = new Map(KEYS.map(([name, set1, set2]) => [name, { set1, set2 }]));

/** The canonical key name for `key` (a code name or alias, any case); throws for unknown keys. */
export function keyName(key: string): string {
  const name = BY_LOWER_NAME.get(key.toLowerCase());
  if (name === undefined) throw new RangeError(`unknown key name '${key}'`);
  return name;
}

/** Every canonical key name the keyboard knows. */
export const KEY_NAMES: readonly string[] = [...KEYS.map(([name]) => name), ...Object.keys(SEQUENCE_KEYS)];

/** The bytes the keyboard sends for `key` in scan code set `set` (1 or 2). */
export function scanCodes(key: string, set: 1 | 2, pressed: boolean): number[] {
  const name = keyName(key);
  const sequence = SEQUENCE_KEYS[name];
  if (sequence) return [...(set === 1 ? sequence.set1 : sequence.set2)[pressed ? 0 : 1]];
  const codes = CODES.get(name)!;
  const code = set === 1 ? codes.set1 : codes.set2;
  const prefix = code & E0 ? [0xe0] : [];
  const byte = code & 0xff;
  if (pressed) return [...prefix, byte];
  return set === 1 ? [...prefix, byte | 0x80] : [...prefix, 0xf0, byte];
}

/**
 * The i8042's set 2 -> set 1 translation of one byte (the break prefix 0xF0 is handled by the
 * controller). Derived from the key table: a set 2 byte means the same position with or without
 * the E0 prefix. Bytes no key uses (acks, BAT codes, prefixes) pass unchanged.
 */
export const SET2_TO_SET1: ReadonlyMap<number, number> = new Map(KEYS.map(([, set1, set2]) => [set2 & 0xff, set1 & 0xff]));

/** US layout: each character of US_PLAIN / US_SHIFTED is typed by the key at the same index. */
const US_SHIFTED = '~!@#$%^&*()_+{}|:"<>?';
const US_PLAIN = '`1234567890-=[]\\;\',./';
const PUNCTUATION_KEYS = ['Backquote', 'Digit1', 'Digit2', 'Digit3', 'Digit4', 'Digit5', 'Digit6', 'Digit7', 'Digit8',
  'Digit9', 'Digit0', 'Minus', 'Equal', 'BracketLeft', 'BracketRight', 'Backslash', 'Semicolon', 'Quote', 'Comma',
  'Period', 'Slash'];

function keyForCharacter(ch: string): { key: string; shift: boolean } {
  if (/^[a-z0-9]$/.test(ch)) return { key: keyName(ch), shift: false };
  if (/^[A-Z]$/.test(ch)) return { key: keyName(ch), shift: true };
  if (ch === ' ') return { key: 'Space', shift: false };
  if (ch === '\n' || ch === '\r') return { key: 'Enter', shift: false };
  if (ch === '\t') return { key: 'Tab', shift: false };
  if (ch === '\b') return { key: 'Backspace', shift: false };
  const plain = US_PLAIN.indexOf(ch);
  if (plain >= 0) return { key: PUNCTUATION_KEYS[plain], shift: false };
  const shifted = US_SHIFTED.indexOf(ch);
  if (shifted >= 0) return { key: PUNCTUATION_KEYS[shifted], shift: true };
  throw new RangeError(`no US-layout key types '${ch}'`);
}

/** Commands that take a parameter byte. */
const CMD_SET_LEDS = 0xed;
const CMD_SCAN_CODE_SET = 0xf0;
const CMD_TYPEMATIC = 0xf3;

const ACK = 0xfa;
const RESEND = 0xfe;
const SELF_TEST_PASSED = 0xaa;

export class Ps2Keyboard extends Ps2Device {
  /** 1 or 2; the keyboard's own set (before any translation by the controller). */
  scanCodeSet: 1 | 2 = 2;
  scanning = true;
  /** LED bits from command 0xED: 0 Scroll Lock, 1 Num Lock, 2 Caps Lock. */
  leds = 0;
  typematic = 0x2b;

  private awaitingParameter: number | undefined;
  private lastSent = 0;

  /** Key `key` went down (sent again while held, it is an auto-repeat). */
  press(key: string): void {
    if (this.scanning) this.send(...scanCodes(key, this.scanCodeSet, true));
  }

  release(key: string): void {
    if (this.scanning) this.send(...scanCodes(key, this.scanCodeSet, false));
  }

  /** Press and release. */
  tap(key: string): void {
    this.press(key);
    this.release(key);
  }

  /** Type `text` on a US layout, pressing Shift where needed. */
  type(text: string): void {
    for (const ch of text) {
      const { key, shift } = keyForCharacter(ch);
      if (shift) this.press('ShiftLeft');
      this.tap(key);
      if (shift) this.release('ShiftLeft');
    }
  }

  receive(byte: number): void {
    const command = this.awaitingParameter;
    // A command byte (0xED and up) cancels a pending parameter, as on real keyboards.
    if (command !== undefined && byte < 0xed) {
      this.awaitingParameter = undefined;
      this.parameter(command, byte);
      return;
    }
    this.awaitingParameter = undefined;
    this.command(byte);
  }

  protected override send(...bytes: number[]): void {
    if (bytes.length > 0) this.lastSent = bytes[bytes.length - 1];
    super.send(...bytes);
  }

  private command(byte: number): void {
    switch (byte) {
      case CMD_SET_LEDS:
      case CMD_SCAN_CODE_SET:
      case CMD_TYPEMATIC:
        this.awaitingParameter = byte;
        this.send(ACK);
        return;
      case 0xee: // echo
        this.send(0xee);
        return;
      case 0xf2: // identify: MF2 keyboard
        this.send(ACK, 0xab, 0x83);
        return;
      case 0xf4:
        this.scanning = true;
        this.send(ACK);
        return;
      case 0xf5: // disable and restore defaults
        this.defaults();
        this.scanning = false;
        this.send(ACK);
        return;
      case 0xf6:
        this.defaults();
        this.send(ACK);
        return;
      case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        this.send(ACK); // set 3 key-type commands: accepted, no effect in sets 1 and 2
        return;
      case RESEND:
        this.send(this.lastSent);
        return;
      case 0xff: // reset and self-test
        this.clearOutput();
        this.defaults();
        this.scanning = true;
        this.send(ACK, SELF_TEST_PASSED);
        return;
      default:
        this.send(RESEND);
    }
  }

  private parameter(command: number, value: number): void {
    switch (command) {
      case CMD_SET_LEDS:
        this.leds = value & 7;
        this.send(ACK);
        return;
      case CMD_TYPEMATIC:
        this.typematic = value & 0x7f;
        this.send(ACK);
        return;
      case CMD_SCAN_CODE_SET:
        if (value === 0) this.send(ACK, this.scanCodeSet);
        else if (value === 1 || value === 2) {
          this.scanCodeSet = value;
          this.send(ACK);
        } else this.send(RESEND); // set 3 is not implemented
        return;
    }
  }

  private defaults(): void {
    this.scanCodeSet = 2;
    this.leds = 0;
    this.typematic = 0x2b;
  }
}
