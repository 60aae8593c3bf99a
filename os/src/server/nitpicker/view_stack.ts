/*
 * Nitpicker's views in stacking order, front first. A view shows a rectangle of its
 * owner's buffer at a place on the screen; it knows its owner, so everything nitpicker
 * draws about it (dimming, frame, label) comes from nitpicker's own records. A child
 * view (Genode's view with a parent) is placed relative to its parent, clipped to it,
 * and kept directly in front of it, whatever either client does.
 */
import { contains, intersect, type Rect } from '../../lib/surface.js';

/** What a view needs of the session that owns it. */
export interface ViewOwner {
  /** The session label as composed by the parents; clients cannot choose it. */
  readonly label: string;
  readonly pixelBuffer: { pixels: Uint32Array; width: number; height: number } | undefined;
}

const NOWHERE: Rect = { x: 0, y: 0, w: 0, h: 0 };

export class View {
  /**
   * Where the view is on the screen and the buffer position shown at its top-left pixel:
   * what is painted and what the pointer hits. For a child view, what its client set
   * relative to the parent, clipped to the parent (layout).
   */
  rect: Rect = NOWHERE;
  bufX = 0;
  bufY = 0;
  title = '';
  /** What the client set: geometry (relative to the parent for a child view) and buffer offset. */
  asked: Rect = NOWHERE;
  askedBufX = 0;
  askedBufY = 0;
  /** A child view shows only within its parent (a view of any session) and stays directly in front of it. */
  parent: View | undefined;
  readonly children = new Set<View>();
  /** The parent went away: the child shows nothing from then on. */
  orphaned = false;

  constructor(readonly owner: ViewOwner, readonly handle: number) {}

  /** Recomputes where this view and the views inside it are on the screen. */
  layout(): void {
    const p = this.parent;
    if (this.orphaned) {
      this.rect = NOWHERE;
    } else if (!p) {
      this.rect = { ...this.asked };
      this.bufX = this.askedBufX;
      this.bufY = this.askedBufY;
    } else {
      const abs = { x: p.rect.x + this.asked.x, y: p.rect.y + this.asked.y, w: this.asked.w, h: this.asked.h };
      const shown = intersect(abs, p.rect);
      this.rect = shown ?? NOWHERE;
      this.bufX = this.askedBufX + (shown ? shown.x - abs.x : 0);
      this.bufY = this.askedBufY + (shown ? shown.y - abs.y : 0);
    }
    for (const c of this.children) c.layout();
  }

  /** This view and every view inside it. */
  *tree(): Generator<View> {
    yield this;
    for (const c of this.children) yield* c.tree();
  }

  /** The view goes away: views inside it are orphaned, it leaves its parent. */
  detach(): void {
    for (const c of this.children) {
      c.parent = undefined;
      c.orphaned = true;
      c.layout();
    }
    this.children.clear();
    this.parent?.children.delete(this);
    this.parent = undefined;
  }
}

export class ViewStack {
  /** Front first. */
  readonly views: View[] = [];

  private take(v: View): void {
    const i = this.views.indexOf(v);
    if (i >= 0) this.views.splice(i, 1);
  }

  /** Puts `v` directly in front of `neighbor`, or in front of all; a child view stays directly in front of its parent. */
  toFront(v: View, neighbor?: View): void {
    if (v === neighbor) return;
    if (v.parent) return this.inFrontOfParent(v);
    this.take(v);
    const at = neighbor ? this.views.indexOf(neighbor) : 0;
    this.views.splice(Math.max(at, 0), 0, v);
    this.raiseChildren(v);
  }

  /** Puts `v` directly behind `neighbor`, or behind all; a child view stays directly in front of its parent. */
  toBack(v: View, neighbor?: View): void {
    if (v === neighbor) return;
    if (v.parent) return this.inFrontOfParent(v);
    this.take(v);
    const at = neighbor ? this.views.indexOf(neighbor) + 1 : this.views.length;
    this.views.splice(at > 0 ? at : this.views.length, 0, v);
    this.raiseChildren(v);
  }

  private inFrontOfParent(v: View): void {
    this.take(v);
    this.views.splice(Math.max(this.views.indexOf(v.parent!), 0), 0, v);
    this.raiseChildren(v);
  }

  /** The views inside `v` follow it, directly in front of it. */
  private raiseChildren(v: View): void {
    for (const c of v.children) this.inFrontOfParent(c);
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
