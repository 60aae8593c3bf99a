/*
 * A surface: rows of 32-bit pixels (0x00RRGGBB) with a clipping rectangle, and the few
 * painting operations a GUI server and its clients need (Genode's Surface and box/text
 * painters). Every operation stays inside the clip, so callers can pass any coordinates.
 */
import { drawText, type Clip } from './font.js';

export interface Rect { x: number; y: number; w: number; h: number }

export function intersect(a: Rect, b: Rect): Rect | undefined {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.w, b.x + b.w);
  const y1 = Math.min(a.y + a.h, b.y + b.h);
  return x1 > x0 && y1 > y0 ? { x: x0, y: y0, w: x1 - x0, h: y1 - y0 } : undefined;
}

export function contains(r: Rect, x: number, y: number): boolean {
  return x >= r.x && y >= r.y && x < r.x + r.w && y < r.y + r.h;
}

/** The smallest rectangle covering both. */
export function union(a: Rect, b: Rect): Rect {
  const x0 = Math.min(a.x, b.x);
  const y0 = Math.min(a.y, b.y);
  return { x: x0, y: y0, w: Math.max(a.x + a.w, b.x + b.w) - x0, h: Math.max(a.y + a.h, b.y + b.h) - y0 };
}

export class Surface {
  private clipRect: Clip;

  constructor(readonly pixels: Uint32Array, readonly width: number, readonly height: number) {
    if (pixels.length < width * height) throw new RangeError(`surface ${width}x${height} needs ${width * height} pixels, got ${pixels.length}`);
    this.clipRect = { x0: 0, y0: 0, x1: width, y1: height };
  }

  get clip(): Clip {
    return this.clipRect;
  }

  /** Runs `fn` with drawing confined to `r` (within the current clip as well). */
  clipped(r: Rect, fn: () => void): void {
    const saved = this.clipRect;
    const c = intersect(r, { x: saved.x0, y: saved.y0, w: saved.x1 - saved.x0, h: saved.y1 - saved.y0 });
    if (!c) return;
    this.clipRect = { x0: c.x, y0: c.y, x1: c.x + c.w, y1: c.y + c.h };
    try {
      fn();
    } finally {
      this.clipRect = saved;
    }
  }

  fill(x: number, y: number, w: number, h: number, color: number): void {
    const c = this.clipRect;
    const x0 = Math.max(x, c.x0);
    const x1 = Math.min(x + w, c.x1);
    const y0 = Math.max(y, c.y0);
    const y1 = Math.min(y + h, c.y1);
    if (x1 <= x0) return;
    for (let row = y0; row < y1; row++) this.pixels.fill(color, row * this.width + x0, row * this.width + x1);
  }

  /** A rectangle outline `t` pixels thick, inside (x, y, w, h). */
  frame(x: number, y: number, w: number, h: number, color: number, t = 1): void {
    this.fill(x, y, w, t, color);
    this.fill(x, y + h - t, w, t, color);
    this.fill(x, y + t, t, h - 2 * t, color);
    this.fill(x + w - t, y + t, t, h - 2 * t, color);
  }

  /** Draws text with its cell's top-left at (x, y); returns the x after it. */
  text(x: number, y: number, text: string, color: number, scale = 1): number {
    return drawText(this.pixels, this.width, this.clipRect, x, y, text, color, scale);
  }
}
