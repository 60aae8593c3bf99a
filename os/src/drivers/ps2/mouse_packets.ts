/*
 * PS/2 mouse packets to input events. A packet is 3 bytes (4 with a wheel): buttons and
 * the sign and overflow bits, then dx and dy as 9-bit two's complement with +y up, then
 * the wheel's z (positive = towards the user). Byte 0 always has bit 3 set, which is how
 * the decoder finds the start of a packet again after losing a byte.
 */
import { InputEventType, type InputEvent } from '../../session/input/event.js';
import { KEY } from '../../session/input/keycodes.js';

const BUTTONS: Array<[number, number]> = [[0x1, KEY.BTN_LEFT!], [0x2, KEY.BTN_RIGHT!], [0x4, KEY.BTN_MIDDLE!]];
const ALWAYS_ONE = 0x08;
const X_SIGN = 0x10;
const Y_SIGN = 0x20;
const OVERFLOW = 0xc0;

export class MousePacketDecoder {
  private bytes: number[] = [];
  private buttons = 0;
  /** Bytes dropped while looking for the start of a packet. */
  resyncs = 0;

  /** `wheel`: the mouse sends 4-byte packets (IntelliMouse id 3). */
  constructor(private readonly wheel = false) {}

  get packetBytes(): number {
    return this.wheel ? 4 : 3;
  }

  feed(byte: number): InputEvent[] {
    if (this.bytes.length === 0 && !(byte & ALWAYS_ONE)) {
      this.resyncs++;
      return [];
    }
    this.bytes.push(byte);
    if (this.bytes.length < this.packetBytes) return [];
    const [head, bx, by, bz] = this.bytes as [number, number, number, number?];
    this.bytes = [];
    const events: InputEvent[] = [];
    /* an overflowing count is meaningless: drop the motion, keep the buttons */
    if (!(head & OVERFLOW)) {
      const dx = bx - (head & X_SIGN ? 256 : 0);
      const dy = by - (head & Y_SIGN ? 256 : 0);
      if (dx || dy) events.push({ type: InputEventType.MOTION, x: dx, y: -dy });
    }
    for (const [bit, code] of BUTTONS) {
      if ((head ^ this.buttons) & bit) events.push({ type: head & bit ? InputEventType.PRESS : InputEventType.RELEASE, code });
    }
    this.buttons = head & 0x7;
    if (bz !== undefined) {
      const z = bz & 0x80 ? bz - 256 : bz;
      if (z) events.push({ type: InputEventType.WHEEL, x: 0, y: -z });
    }
    return events;
  }
}
