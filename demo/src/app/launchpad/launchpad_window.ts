/*
 * launchpad's window: its remaining quota as a bar (Status), the programs it can start
 * with their quanta (Launcher), and the running children with a kill button (Children),
 * scrolled with the wheel when there are more than fit. Rows light up under the pointer;
 * a click on a launcher starts it, on "kill" kills. What an action could not do shows at
 * the bottom.
 */
import { CHAR_WIDTH, textWidth } from '../../../../os/src/lib/font.js';
import type { StartConfig } from '../../../../os/src/init/config_model.js';
import type { Window } from '../../lib/window.js';
import { mb, type Quota } from './launchpad.js';

export const CONTENT_WIDTH = 260;
export const CONTENT_HEIGHT = 330;

const ROW = 16;
const LAUNCHER_TOP = 62;
const KILL_WIDTH = 34;

const COLORS = {
  background: 0xe4e6ea, text: 0x202428, header: 0x2a4a7a, bar: 0x9aa0a8, barFill: 0x5a9a5a, hover: 0xc4d2ea, button: 0xb04040, buttonText: 0xffffff,
  message: 0xb02020,
};

/** The bottom line, where a message goes; the children's list ends above it. */
const MESSAGE_Y = CONTENT_HEIGHT - 16;

export type Action = { kind: 'launch'; launcher: StartConfig } | { kind: 'kill'; name: string };

interface Row { y: number; action: Action }

export class LaunchpadWindow {
  private rows: Row[] = [];
  private hover: Row | undefined;
  /** First child shown (the list scrolls when more children run than fit). */
  private scroll = 0;
  /** After a kill the rows below move up: nothing acts until the pointer moves. */
  private armed = true;

  constructor(private readonly win: Window) {}

  /** Scrolls the children's list by `steps` rows (positive: up, towards the first). */
  scrollBy(steps: number): void {
    this.scroll = Math.max(0, this.scroll - steps);
  }

  /** A kill shifted the list under the pointer: nothing is highlighted or clicked until the pointer moves. */
  disarm(): void {
    this.armed = false;
    this.hover = undefined;
  }

  private rowAt(x: number, y: number): Row | undefined {
    if (!this.armed || x < 0 || x >= CONTENT_WIDTH) return undefined;
    const row = this.rows.find((r) => y >= r.y && y < r.y + ROW);
    /* a child row acts only on its kill button */
    if (row?.action.kind === 'kill' && x < CONTENT_WIDTH - KILL_WIDTH - 8) return undefined;
    return row;
  }

  /** The action at a content position, if any. */
  actionAt(x: number, y: number): Action | undefined {
    return this.rowAt(x, y)?.action;
  }

  /** Highlights the row under the pointer; true if that changed. */
  hoverAt(x: number, y: number): boolean {
    this.armed = true;
    const row = this.rowAt(x, y);
    const changed = row?.y !== this.hover?.y;
    this.hover = row;
    return changed;
  }

  /** The pointer left the window: nothing stays highlighted; true if something was. */
  leave(): boolean {
    const was = this.hover !== undefined;
    this.hover = undefined;
    return was;
  }

  render(launchers: StartConfig[], running: StartConfig[], quota: Quota, message?: string): void {
    const s = this.win.surface;
    const { x: ox, y: oy } = this.win.content;
    const W = CONTENT_WIDTH;
    const text = (x: number, y: number, t: string, c = COLORS.text) => s.text(ox + x, oy + y, t, c);
    const right = (y: number, t: string, margin: number) => text(W - margin - textWidth(t), y, t);
    s.clipped({ x: ox, y: oy, w: W, h: CONTENT_HEIGHT }, () => {
      s.fill(ox, oy, W, CONTENT_HEIGHT, COLORS.background);

      text(8, 4, 'Status', COLORS.header);
      s.fill(ox + 10, oy + 22, W - 20, 14, COLORS.bar);
      s.fill(ox + 10, oy + 22, Math.round(((W - 20) * quota.avail) / Math.max(quota.total, 1)), 14, COLORS.barFill);
      const q = `${mb(quota.avail)} / ${mb(quota.total)}`;
      text((W - textWidth(q)) >> 1, 23, q);

      const rows: Row[] = [];
      text(8, LAUNCHER_TOP - 16, 'Launcher', COLORS.header);
      let y = LAUNCHER_TOP;
      for (const l of launchers) {
        rows.push({ y, action: { kind: 'launch', launcher: l } });
        y += ROW;
      }
      y += 8;
      const fit = Math.max(1, Math.floor((MESSAGE_Y - (y + 16)) / ROW));
      this.scroll = Math.min(this.scroll, Math.max(0, running.length - fit));
      const shown = running.slice(this.scroll, this.scroll + fit);
      const more = running.length > fit ? ` ${this.scroll + 1}-${this.scroll + shown.length} of ${running.length} (wheel)` : '';
      text(8, y, `Children${more}`, COLORS.header);
      y += 16;
      for (const c of shown) {
        rows.push({ y, action: { kind: 'kill', name: c.name } });
        y += ROW;
      }
      this.rows = rows;
      if (this.hover && !rows.some((r) => r.y === this.hover!.y)) this.hover = undefined;

      for (const r of rows) {
        const hovered = r.y === this.hover?.y;
        if (r.action.kind === 'launch') {
          if (hovered) s.fill(ox + 4, oy + r.y, W - 8, ROW, COLORS.hover);
          text(16, r.y + 2, r.action.launcher.name);
          right(r.y + 2, mb(r.action.launcher.ram), 12);
        } else {
          const name = r.action.name;
          const child = running.find((c) => c.name === name)!;
          text(16, r.y + 2, name);
          right(r.y + 2, mb(child.ram), KILL_WIDTH + 16);
          const bx = W - KILL_WIDTH - 8;
          s.fill(ox + bx, oy + r.y + 1, KILL_WIDTH, ROW - 2, hovered ? 0xd05050 : COLORS.button);
          text(bx + ((KILL_WIDTH - 4 * CHAR_WIDTH) >> 1), r.y + 2, 'kill', COLORS.buttonText);
        }
      }
      if (message) text(8, MESSAGE_Y, message, COLORS.message);
    });
  }
}
