/*
 * Composition: the views are painted back to front into the framebuffer, each showing
 * its part of its owner's buffer. In X-ray mode every view not belonging to the focused
 * client is dimmed (so no client can show full-brightness colours), and each view gets a
 * frame and a bar with its client's session label, drawn by nitpicker after the view's
 * pixels: a client cannot paint over them, and a view stacked in front covers them only
 * where it has its own label. A menubar at the top names the focused client. The pointer
 * goes on top of everything.
 */
import { CHAR_WIDTH, LINE_HEIGHT } from '../../lib/font.js';
import { intersect, Surface, type Rect } from '../../lib/surface.js';
import { drawPointer, POINTER_HEIGHT, POINTER_WIDTH } from './pointer.js';
import type { View, ViewOwner, ViewStack } from './view_stack.js';

export const LABEL_BAR_HEIGHT = LINE_HEIGHT + 2;
export const MENUBAR_HEIGHT = LINE_HEIGHT + 4;

/** Nitpicker's own colours: at full brightness, which dimmed client pixels never reach. */
export const COLORS = {
  focusedFrame: 0xffffff,
  frame: 0xd0d0d0,
  labelText: 0x000000,
  menubar: 0xd02020,
  menubarText: 0xffffff,
};

export interface ScreenState {
  xray: boolean;
  focused: ViewOwner | undefined;
  pointerX: number;
  pointerY: number;
  /** False while a nested nitpicker's outer pointer is elsewhere (after a hover-leave). */
  pointerVisible: boolean;
}

/** Halves each colour channel. */
function dim(p: number): number {
  return (p >>> 1) & 0x7f7f7f;
}

/** What nitpicker writes in a view's label bar. */
export function labelText(v: View): string {
  return v.title ? `${v.owner.label}  "${v.title}"` : v.owner.label;
}

export class Screen {
  readonly surface: Surface;
  readonly rect: Rect;

  constructor(
    pixels: Uint32Array,
    readonly width: number,
    readonly height: number,
    private readonly stack: ViewStack,
    private readonly state: ScreenState,
    private readonly background: number,
    private readonly flush: (r: Rect) => Promise<void>,
  ) {
    this.surface = new Surface(pixels, width, height);
    this.rect = { x: 0, y: 0, w: width, h: height };
  }

  pointerRect(): Rect {
    return { x: this.state.pointerX, y: this.state.pointerY, w: POINTER_WIDTH, h: POINTER_HEIGHT };
  }

  /** Repaints a screen rectangle and hands it to the framebuffer. */
  async redraw(area: Rect): Promise<void> {
    const r = intersect(area, this.rect);
    if (!r) return;
    const s = this.surface;
    s.clipped(r, () => {
      s.fill(r.x, r.y, r.w, r.h, this.background);
      for (const v of this.stack.backToFront()) {
        const vis = intersect(v.rect, r);
        if (!vis) continue;
        this.blit(v, vis, this.state.xray && v.owner !== this.state.focused);
        if (this.state.xray) s.clipped(vis, () => this.decorate(v));
      }
      if (this.state.xray) this.menubar();
      if (this.state.pointerVisible) drawPointer(s, this.state.pointerX, this.state.pointerY);
    });
    await this.flush(r);
  }

  redrawAll(): Promise<void> {
    return this.redraw(this.rect);
  }

  private blit(v: View, vis: Rect, dimmed: boolean): void {
    const dst = this.surface.pixels;
    const buf = v.owner.pixelBuffer;
    /* screen x whose buffer column is 0, and the screen range the buffer covers */
    const x0 = v.rect.x - v.bufX;
    const xa = Math.max(vis.x, x0);
    const xb = Math.min(vis.x + vis.w, x0 + (buf?.width ?? 0));
    for (let y = vis.y; y < vis.y + vis.h; y++) {
      const row = y * this.width;
      const sy = y - v.rect.y + v.bufY;
      if (!buf || sy < 0 || sy >= buf.height || xb <= xa) {
        dst.fill(this.background, row + vis.x, row + vis.x + vis.w);
        continue;
      }
      if (xa > vis.x) dst.fill(this.background, row + vis.x, row + xa);
      if (xb < vis.x + vis.w) dst.fill(this.background, row + xb, row + vis.x + vis.w);
      const src = sy * buf.width + (xa - x0);
      if (!dimmed) {
        dst.set(buf.pixels.subarray(src, src + xb - xa), row + xa);
      } else {
        for (let i = 0; i < xb - xa; i++) dst[row + xa + i] = dim(buf.pixels[src + i]!);
      }
    }
  }

  /** Frame and label bar, at the top of the view's part of the screen. */
  private decorate(v: View): void {
    const s = this.surface;
    const color = v.owner === this.state.focused ? COLORS.focusedFrame : COLORS.frame;
    const { x, y, w, h } = v.rect;
    s.frame(x, y, w, h, color);
    /* below the menubar, so the label stays readable when the view reaches the screen's top */
    const top = Math.max(y, MENUBAR_HEIGHT);
    const left = Math.max(x, 0);
    s.fill(left, top, x + w - left, LABEL_BAR_HEIGHT, color);
    s.text(left + 3, top + 1, labelText(v), COLORS.labelText);
  }

  private menubar(): void {
    const s = this.surface;
    s.fill(0, 0, this.width, MENUBAR_HEIGHT, COLORS.menubar);
    const focus = this.state.focused ? this.state.focused.label : 'no focus';
    s.text(CHAR_WIDTH, 2, `X-Ray   focus: ${focus}`, COLORS.menubarText);
  }
}
