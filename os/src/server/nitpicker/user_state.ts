/*
 * Input routing (the user's side of nitpicker). Each event has one receiver:
 *  - keys go to the focused client only; the user alone changes the focus, by clicking
 *  - a click focuses the client whose view is under the pointer and goes to it
 *  - while a key or button is held, motion and releases go to the client that got the
 *    press, wherever the pointer is: clients move, resize and restack their windows
 *    themselves (client-side window handling)
 *  - otherwise motion and wheel go to the client whose view is under the pointer; the
 *    client the pointer left gets a hover-leave event (Genode's Hover_leave), so it can
 *    drop its hover feedback
 *  - a hover-leave from nitpicker's own input (a nested nitpicker whose window the outer
 *    pointer left) hides the pointer until the next motion and is passed on
 *  - the X-ray key toggles X-ray mode, the emergency key gives the focus back to the
 *    trusted client and raises its views; clients never see either key
 * Pointer positions reach clients as absolute screen coordinates.
 */
import { InputEventType, type InputEvent } from '../../session/input/event.js';
import type { Rect } from '../../lib/surface.js';
import type { ScreenState } from './screen.js';
import type { View, ViewOwner, ViewStack } from './view_stack.js';

export interface InputClient extends ViewOwner {
  submit(events: InputEvent[]): void;
}

export interface UserPolicy {
  xrayKey: number;
  emergencyKey: number;
  /** The client the emergency key focuses, if one is connected. */
  trusted(): InputClient | undefined;
}

export interface Display {
  redraw(r: Rect): Promise<void>;
  redrawAll(): Promise<void>;
  pointerRect(): Rect;
}

const BTN_FIRST = 0x110;
const BTN_LAST = 0x11f;

export class UserState implements ScreenState {
  xray = false;
  focused: InputClient | undefined;
  pointerX: number;
  pointerY: number;
  pointerVisible = true;
  display!: Display;
  /** The client that got the last motion outside a grab: it gets the hover-leave. */
  private hoverTarget: InputClient | undefined;
  /** The receiver of each held key's press (undefined: nitpicker kept it). */
  private readonly held = new Map<number, InputClient | undefined>();
  private grab: InputClient | undefined;

  constructor(private readonly stack: ViewStack, private readonly width: number, private readonly height: number, private readonly policy: UserPolicy) {
    this.pointerX = width >> 1;
    this.pointerY = height >> 1;
  }

  private owner(v: View | undefined): InputClient | undefined {
    return v?.owner as InputClient | undefined;
  }

  private hovered(): InputClient | undefined {
    return this.owner(this.stack.at(this.pointerX, this.pointerY));
  }

  private async setFocus(c: InputClient | undefined): Promise<void> {
    if (c === this.focused) return;
    this.focused = c;
    if (this.xray) await this.display.redrawAll();
  }

  async handle(e: InputEvent): Promise<void> {
    switch (e.type) {
      case InputEventType.MOTION:
      case InputEventType.ABSOLUTE: {
        const rel = e.type === InputEventType.MOTION;
        await this.movePointer(rel ? this.pointerX + e.x : e.x, rel ? this.pointerY + e.y : e.y);
        const receiver = this.grab ?? this.hovered();
        if (!this.grab) this.hoverMovesTo(receiver);
        receiver?.submit([{ type: InputEventType.ABSOLUTE, x: this.pointerX, y: this.pointerY }]);
        return;
      }
      case InputEventType.HOVER_LEAVE:
        this.hoverMovesTo(undefined);
        if (this.pointerVisible) {
          this.pointerVisible = false;
          await this.display.redraw(this.display.pointerRect());
        }
        return;
      case InputEventType.WHEEL:
        (this.grab ?? this.hovered())?.submit([e]);
        return;
      case InputEventType.PRESS:
        return this.press(e.code);
      case InputEventType.RELEASE: {
        const receiver = this.held.get(e.code);
        if (!this.held.delete(e.code)) return;
        if (this.held.size === 0) this.grab = undefined;
        receiver?.submit([e]);
        return;
      }
    }
  }

  private hoverMovesTo(c: InputClient | undefined): void {
    if (c === this.hoverTarget) return;
    this.hoverTarget?.submit([{ type: InputEventType.HOVER_LEAVE }]);
    this.hoverTarget = c;
  }

  private async movePointer(x: number, y: number): Promise<void> {
    if (!this.pointerVisible) {
      this.pointerVisible = true;
      await this.display.redraw(this.display.pointerRect());
    }
    const nx = Math.max(0, Math.min(this.width - 1, x));
    const ny = Math.max(0, Math.min(this.height - 1, y));
    if (nx === this.pointerX && ny === this.pointerY) return;
    const old = this.display.pointerRect();
    this.pointerX = nx;
    this.pointerY = ny;
    await this.display.redraw(old);
    await this.display.redraw(this.display.pointerRect());
  }

  private async press(code: number): Promise<void> {
    if (this.held.has(code)) return;
    if (code === this.policy.xrayKey || code === this.policy.emergencyKey) {
      this.held.set(code, undefined);
      if (code === this.policy.xrayKey) {
        this.xray = !this.xray;
        await this.display.redrawAll();
      } else {
        await this.emergency();
      }
      return;
    }
    let receiver = this.grab;
    if (!receiver) {
      /* the first press of a sequence: a click moves the focus to what was clicked */
      if (code >= BTN_FIRST && code <= BTN_LAST) {
        const clicked = this.hovered();
        if (clicked) await this.setFocus(clicked);
        receiver = clicked;
      } else {
        receiver = this.focused;
      }
      this.grab = receiver;
    }
    this.held.set(code, receiver);
    receiver?.submit([{ type: InputEventType.PRESS, code }]);
  }

  /** The emergency key: focus and raise the trusted client, whatever the others did. */
  private async emergency(): Promise<void> {
    const trusted = this.policy.trusted();
    /* keys held before still release to whoever got their press, so none stays stuck there */
    this.grab = undefined;
    this.focused = trusted;
    if (trusted) for (const v of this.stack.backToFront().filter((v) => v.owner === trusted)) this.stack.toFront(v);
    await this.display.redrawAll();
  }

  /** A client went away: it no longer receives anything. */
  forget(c: InputClient): void {
    if (this.focused === c) this.focused = undefined;
    if (this.grab === c) this.grab = undefined;
    if (this.hoverTarget === c) this.hoverTarget = undefined;
    for (const [code, r] of this.held) if (r === c) this.held.set(code, undefined);
  }
}
