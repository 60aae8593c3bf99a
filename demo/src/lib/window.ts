/*
 * A decorated window on nitpicker, handled entirely by the client (nitpicker knows no
 * windows): a frame and a title bar drawn into the client's own buffer around its
 * content; dragging the title bar moves the view, a click raises it. Events inside the
 * content reach the application in content coordinates.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { CHAR_WIDTH } from '../../../os/src/lib/font.js';
import { contains, Surface, type Rect } from '../../../os/src/lib/surface.js';
import { InputEventType, type InputEvent } from '../../../os/src/session/input/event.js';
import { KEY } from '../../../os/src/session/input/keycodes.js';
import { NitpickerConnection } from '../../../os/src/session/nitpicker/connection.js';
import { NO_VIEW } from '../../../os/src/session/nitpicker/session.js';

export const BORDER = 2;
export const TITLE_HEIGHT = 18;

const COLORS = { outer: 0x181c24, inner: 0x8090a8, title: 0x3a5a8a, titleText: 0xffffff };

export interface WindowSpec {
  title: string;
  /** Screen position of the window's top-left corner. */
  x: number;
  y: number;
  /** Size of the content area. */
  width: number;
  height: number;
  /** The nitpicker session's label (the parents put the component's name in front). */
  label?: string;
}

/** An event inside the content, at content coordinates (x, y) of the pointer. */
export interface ContentEvent {
  type: 'press' | 'release' | 'motion' | 'wheel' | 'leave';
  /** Key or button code (press, release). */
  code: number;
  x: number;
  y: number;
  /** Wheel steps (positive: up). */
  steps: number;
}

export class Window {
  readonly surface: Surface;
  /** The content area in buffer coordinates. */
  readonly content: Rect;
  private view = 0;
  private pointer = { x: 0, y: 0 };
  private drag: { dx: number; dy: number } | undefined;
  private onEvent: (e: ContentEvent) => void | Promise<void> = () => {};

  private constructor(readonly nit: NitpickerConnection, private readonly spec: WindowSpec, pixels: Uint32Array) {
    const w = spec.width + 2 * BORDER;
    const h = spec.height + TITLE_HEIGHT + 2 * BORDER;
    this.surface = new Surface(pixels, w, h);
    this.content = { x: BORDER, y: BORDER + TITLE_HEIGHT, w: spec.width, h: spec.height };
    this.x = spec.x;
    this.y = spec.y;
  }

  x: number;
  y: number;

  get width(): number {
    return this.surface.width;
  }

  get height(): number {
    return this.surface.height;
  }

  static async open(env: Env, spec: WindowSpec): Promise<Window> {
    const nit = await NitpickerConnection.open(env, { label: spec.label ?? '' });
    const w = spec.width + 2 * BORDER;
    const h = spec.height + TITLE_HEIGHT + 2 * BORDER;
    const win = new Window(nit, spec, await nit.buffer(w, h));
    win.decorate();
    win.view = await nit.createView();
    await nit.session.title(win.view, spec.title);
    await nit.session.geometry(win.view, { x: win.x, y: win.y, w, h });
    await nit.session.toFront(win.view, NO_VIEW);
    await nit.input((e) => win.handle(e));
    return win;
  }

  /** Where content events go. */
  listen(fn: (e: ContentEvent) => void | Promise<void>): void {
    this.onEvent = fn;
  }

  private decorate(): void {
    const s = this.surface;
    s.frame(0, 0, this.width, this.height, COLORS.outer);
    s.frame(1, 1, this.width - 2, this.height - 2, COLORS.inner);
    s.fill(BORDER, BORDER, this.width - 2 * BORDER, TITLE_HEIGHT, COLORS.title);
    s.clipped({ x: BORDER, y: BORDER, w: this.width - 2 * BORDER, h: TITLE_HEIGHT }, () => {
      s.text(BORDER + CHAR_WIDTH, BORDER + 3, this.spec.title, COLORS.titleText);
    });
  }

  /** Shows what changed in the content (content coordinates); all of it by default. */
  refresh(r: Rect = { x: 0, y: 0, w: this.content.w, h: this.content.h }): Promise<void> {
    return this.nit.refresh(this.content.x + r.x, this.content.y + r.y, r.w, r.h);
  }

  async move(x: number, y: number): Promise<void> {
    this.x = x;
    this.y = y;
    await this.nit.session.geometry(this.view, { x, y, w: this.width, h: this.height });
  }

  raise(): Promise<void> {
    return this.nit.session.toFront(this.view, NO_VIEW);
  }

  private local(): { x: number; y: number } {
    return { x: this.pointer.x - this.x - this.content.x, y: this.pointer.y - this.y - this.content.y };
  }

  private deliver(type: ContentEvent['type'], code = 0, steps = 0): void | Promise<void> {
    const { x, y } = this.local();
    return this.onEvent({ type, code, x, y, steps });
  }

  private async handle(e: InputEvent): Promise<void> {
    switch (e.type) {
      case InputEventType.ABSOLUTE:
      case InputEventType.MOTION:
        this.pointer = e.type === InputEventType.ABSOLUTE ? { x: e.x, y: e.y } : { x: this.pointer.x + e.x, y: this.pointer.y + e.y };
        if (this.drag) return this.move(this.pointer.x - this.drag.dx, this.pointer.y - this.drag.dy);
        return this.deliver('motion');
      case InputEventType.PRESS: {
        if (e.code !== KEY.BTN_LEFT && e.code < 0x100) return this.deliver('press', e.code);
        await this.raise();
        const titleBar = { x: this.x + BORDER, y: this.y + BORDER, w: this.width - 2 * BORDER, h: TITLE_HEIGHT };
        if (e.code === KEY.BTN_LEFT && contains(titleBar, this.pointer.x, this.pointer.y)) {
          this.drag = { dx: this.pointer.x - this.x, dy: this.pointer.y - this.y };
          return;
        }
        return this.deliver('press', e.code);
      }
      case InputEventType.RELEASE:
        if (this.drag && e.code === KEY.BTN_LEFT) {
          this.drag = undefined;
          return;
        }
        return this.deliver('release', e.code);
      case InputEventType.WHEEL:
        return this.deliver('wheel', 0, e.y);
      case InputEventType.HOVER_LEAVE:
        return this.deliver('leave');
    }
  }
}
