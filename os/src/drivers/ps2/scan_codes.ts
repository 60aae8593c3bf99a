/*
 * Scan code set 1 (what the i8042 delivers with translation on) to key codes: one byte
 * per key, bit 7 set on release; 0xE0 prefixes the keys added with the MF2 keyboard, and
 * 0xE1 starts Pause, which sends a whole sequence on press and nothing on release.
 */
import { InputEventType, type InputEvent } from '../../session/input/event.js';
import { KEY } from '../../session/input/keycodes.js';

/** Set 1 make codes after 0xE0. */
const EXTENDED = new Map<number, number>([
  [0x1c, KEY.KEY_KPENTER!], [0x1d, KEY.KEY_RIGHTCTRL!], [0x20, KEY.KEY_MUTE!], [0x2e, KEY.KEY_VOLUMEDOWN!],
  [0x30, KEY.KEY_VOLUMEUP!], [0x35, KEY.KEY_KPSLASH!], [0x37, KEY.KEY_SYSRQ!], [0x38, KEY.KEY_RIGHTALT!],
  [0x47, KEY.KEY_HOME!], [0x48, KEY.KEY_UP!], [0x49, KEY.KEY_PAGEUP!], [0x4b, KEY.KEY_LEFT!], [0x4d, KEY.KEY_RIGHT!],
  [0x4f, KEY.KEY_END!], [0x50, KEY.KEY_DOWN!], [0x51, KEY.KEY_PAGEDOWN!], [0x52, KEY.KEY_INSERT!],
  [0x53, KEY.KEY_DELETE!], [0x5b, KEY.KEY_LEFTMETA!], [0x5c, KEY.KEY_RIGHTMETA!], [0x5d, KEY.KEY_COMPOSE!],
  [0x5e, KEY.KEY_POWER!],
]);

/** The shift presses the keyboard fakes around some extended keys (PrintScreen, keypad with NumLock). */
const FAKE_SHIFTS = new Set([0x2a, 0x36]);

/** Plain make codes: 0x01-0x53 are the key codes themselves, a few above differ. */
function plainKey(make: number): number | undefined {
  if (make >= 0x01 && make <= 0x53) return make;
  switch (make) {
    case 0x54: return KEY.KEY_SYSRQ; // Alt+PrintScreen
    case 0x56: return KEY.KEY_102ND;
    case 0x57: return KEY.KEY_F11;
    case 0x58: return KEY.KEY_F12;
    default: return undefined;
  }
}

/** Keyboard replies that can appear between scan codes (ack, resend, echo, errors). */
const NOT_KEYS = new Set([0x00, 0xee, 0xfa, 0xfe, 0xff]);

export class ScanCodeDecoder {
  private extended = false;
  /** Bytes of a Pause sequence still to come after 0xE1. */
  private pause: number[] | undefined;
  /** Bytes that named no key (for diagnostics). */
  unknown = 0;

  feed(byte: number): InputEvent[] {
    if (this.pause) {
      this.pause.push(byte);
      if (this.pause.length < 2) return [];
      const released = (this.pause[1]! & 0x80) !== 0;
      this.pause = undefined;
      return [{ type: released ? InputEventType.RELEASE : InputEventType.PRESS, code: KEY.KEY_PAUSE! }];
    }
    if (byte === 0xe1) {
      this.pause = [];
      return [];
    }
    if (byte === 0xe0) {
      this.extended = true;
      return [];
    }
    const extended = this.extended;
    this.extended = false;
    if (!extended && NOT_KEYS.has(byte)) return [];
    const make = byte & 0x7f;
    if (extended && FAKE_SHIFTS.has(make)) return [];
    const code = extended ? EXTENDED.get(make) : plainKey(make);
    if (code === undefined) {
      this.unknown++;
      return [];
    }
    return [{ type: byte & 0x80 ? InputEventType.RELEASE : InputEventType.PRESS, code }];
  }
}
