/*
 * Input events of a window's content turned back into Input events for a client of
 * liquid_fb or nit_fb: pointer positions relative to the content, forwarded while the
 * pointer is over it or a button is held there; keys and buttons as they are; the pointer
 * leaving the window as a hover-leave (a nested nitpicker then hides its pointer).
 */
import { InputEventType, type InputEvent } from '../../../os/src/session/input/event.js';
import type { ContentEvent } from './window.js';

export class ContentInput {
  private held = 0;

  constructor(private readonly width: number, private readonly height: number) {}

  translate(e: ContentEvent): InputEvent[] {
    const inside = e.x >= 0 && e.y >= 0 && e.x < this.width && e.y < this.height;
    const at: InputEvent = { type: InputEventType.ABSOLUTE, x: e.x, y: e.y };
    switch (e.type) {
      case 'motion':
        return inside || this.held > 0 ? [at] : [];
      case 'press':
        this.held++;
        return [at, { type: InputEventType.PRESS, code: e.code }];
      case 'release':
        this.held = Math.max(0, this.held - 1);
        return [{ type: InputEventType.RELEASE, code: e.code }];
      case 'wheel':
        return [{ type: InputEventType.WHEEL, x: 0, y: e.steps }];
      case 'leave':
        return [{ type: InputEventType.HOVER_LEAVE }];
    }
  }
}
