/*
 * Nitpicker's views in stacking order, front first. A view shows a rectangle of its
 * owner's buffer at a place on the screen; it knows its owner, so everything nitpicker
 * draws about it (dimming, frame, label) comes from nitpicker's own records.
 */
import { contains, type Rect } from '../../lib/surface.js';

/** What a view needs of the session that owns it. */
export interface ViewOwner {
  /** The session label as composed by the parents; clients cannot choose it. */
  readonly label: string;
  readonly pixelBuffer: { pixels: Uint32Array; width: number; height: number } | undefined;
}

export class View {
  rect: Rect = { x: 0, y: 0, w: 0, h: 0 };
  /** The buffer position shown at the view's top-left pixel. */
  bufX = 0;
  bufY = 0;
  title = '';

  constructor(readonly owner: ViewOwner, readonly handle: number) {}
}

export class ViewStack {
  /** Front first. */
  readonly views: View[] = [];

  private take(v: View): void {
    const i = this.views.indexOf(v);
    if (i >= 0) this.views.splice(i, 1);
  }

  /** Puts `v` directly in front of `neighbor`, or in front of all. */
  toFront(v: View, neighbor?: View): void {
    if (v === neighbor) return;
    this.take(v);
    const at = neighbor ? this.views.indexOf(neighbor) : 0;
    this.views.splice(Math.max(at, 0), 0, v);
  }

  /** Puts `v` directly behind `neighbor`, or behind all. */
  toBack(v: View, neighbor?: View): void {
    if (v === neighbor) return;
    this.take(v);
    const at = neighbor ? this.views.indexOf(neighbor) + 1 : this.views.length;
    this.views.splice(at > 0 ? at : this.views.length, 0, v);
  }

  remove(v: View): void {
    this.take(v);
  }

  /** The front-most view at a screen position. */
  at(x: number, y: number): View | undefined {
    return this.views.find((v) => contains(v.rect, x, y));
  }

  /** Back to front, for painting. */
  backToFront(): View[] {
    return [...this.views].reverse();
  }
}
