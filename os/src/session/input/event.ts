/*
 * Input events as they travel through an Input session's event buffer: 16 bytes each,
 * four little-endian 32-bit words (type, code, x, y). Motion is relative unless ABSOLUTE;
 * relative y grows downwards, as on the screen; a wheel's y is positive when scrolled up.
 */

export enum InputEventType {
  PRESS = 1,
  RELEASE = 2,
  MOTION = 3,
  ABSOLUTE = 4,
  WHEEL = 5,
  /** The pointer left the receiver's views (Genode's Input::Hover_leave): drop hover feedback. */
  HOVER_LEAVE = 6,
}

export type InputEvent =
  | { type: InputEventType.PRESS | InputEventType.RELEASE; code: number }
  | { type: InputEventType.MOTION | InputEventType.ABSOLUTE | InputEventType.WHEEL; x: number; y: number }
  | { type: InputEventType.HOVER_LEAVE };

export const EVENT_BYTES = 16;

export function writeEvent(buf: Uint8Array, index: number, e: InputEvent): void {
  const v = new DataView(buf.buffer, buf.byteOffset + index * EVENT_BYTES, EVENT_BYTES);
  v.setInt32(0, e.type, true);
  v.setInt32(4, 'code' in e ? e.code : 0, true);
  v.setInt32(8, 'x' in e ? e.x : 0, true);
  v.setInt32(12, 'y' in e ? e.y : 0, true);
}

export function readEvent(buf: Uint8Array, index: number): InputEvent {
  const v = new DataView(buf.buffer, buf.byteOffset + index * EVENT_BYTES, EVENT_BYTES);
  const type = v.getInt32(0, true);
  switch (type) {
    case InputEventType.PRESS:
    case InputEventType.RELEASE:
      return { type, code: v.getInt32(4, true) };
    case InputEventType.MOTION:
    case InputEventType.ABSOLUTE:
    case InputEventType.WHEEL:
      return { type, x: v.getInt32(8, true), y: v.getInt32(12, true) };
    case InputEventType.HOVER_LEAVE:
      return { type };
    default:
      throw new RangeError(`input event ${index}: unknown type ${type}`);
  }
}
