/*
 * scout: a small document viewer in the spirit of Genode's Scout. Pages with headings,
 * wrapped text, bullet items and links; a navigation bar with Back, Home and Next.
 * Keys: Left/Right (or Page Up/Down) page, Backspace back, Home.
 *
 *   <config xpos="40" ypos="40" width="400" height="320"/>
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { CHAR_WIDTH, LINE_HEIGHT, textWidth } from '../../../../os/src/lib/font.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import type { Rect } from '../../../../os/src/lib/surface.js';
import { KEY } from '../../../../os/src/session/input/keycodes.js';
import { Window } from '../../lib/window.js';
import { DOCUMENT, type Page } from './document.js';

const NAV_HEIGHT = 22;
const MARGIN = 12;
const COLORS = { page: 0xf4f1e8, text: 0x202020, title: 0x2a4a7a, link: 0x1050b0, linkHover: 0xd0dcf0, nav: 0x586878, navText: 0xffffff, navHover: 0x7890a8 };

/** Splits text into lines of at most `max` characters, at spaces. */
export function wrap(text: string, max: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > max) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface Target { r: Rect; go: () => void }

class Scout {
  private page: Page = DOCUMENT[0]!;
  private history: Page[] = [];
  private targets: Target[] = [];
  private hover: Target | undefined;

  constructor(private readonly win: Window) {}

  private goto(id: string, remember = true): void {
    const p = DOCUMENT.find((d) => d.id === id);
    if (!p || p === this.page) return;
    if (remember) this.history.push(this.page);
    this.page = p;
  }

  private step(delta: number): void {
    const i = DOCUMENT.indexOf(this.page) + delta;
    if (i >= 0 && i < DOCUMENT.length) this.goto(DOCUMENT[i]!.id);
  }

  private back(): void {
    const p = this.history.pop();
    if (p) this.page = p;
  }

  draw(): Promise<void> {
    const s = this.win.surface;
    const c = this.win.content;
    const targets: Target[] = [];
    const max = Math.floor((c.w - 2 * MARGIN - 10) / CHAR_WIDTH);
    s.clipped(c, () => {
      s.fill(c.x, c.y, c.w, c.h, COLORS.page);
      let y = 10;
      s.text(c.x + MARGIN, c.y + y, this.page.title, COLORS.title, 2);
      y += 2 * LINE_HEIGHT + 8;
      for (const b of this.page.blocks) {
        const indent = b.kind === 'text' ? 0 : 10;
        const lines = wrap(b.text, max);
        if (b.kind === 'link') {
          const r = { x: MARGIN, y: y - 2, w: textWidth(lines[0]!) + 2 * indent, h: lines.length * LINE_HEIGHT + 3 };
          const t = { r, go: () => this.goto(b.page) };
          targets.push(t);
          if (this.hover?.r.y === r.y) s.fill(c.x + r.x, c.y + r.y, r.w, r.h, COLORS.linkHover);
          s.text(c.x + MARGIN, c.y + y, '>', COLORS.link);
        }
        if (b.kind === 'item') s.fill(c.x + MARGIN + 2, c.y + y + 5, 3, 3, COLORS.text);
        for (const l of lines) {
          s.text(c.x + MARGIN + indent, c.y + y, l, b.kind === 'link' ? COLORS.link : COLORS.text);
          y += LINE_HEIGHT;
        }
        y += 6;
      }
      /* the navigation bar */
      const ny = c.h - NAV_HEIGHT;
      s.fill(c.x, c.y + ny, c.w, NAV_HEIGHT, COLORS.nav);
      const button = (x: number, label: string, go: () => void) => {
        const r = { x, y: ny + 2, w: textWidth(label) + 12, h: NAV_HEIGHT - 4 };
        targets.push({ r, go });
        if (this.hover?.r.x === r.x && this.hover.r.y === r.y) s.fill(c.x + r.x, c.y + r.y, r.w, r.h, COLORS.navHover);
        s.text(c.x + x + 6, c.y + ny + 5, label, COLORS.navText);
      };
      button(6, '< Back', () => this.back());
      button(70, 'Home', () => this.goto('welcome'));
      button(c.w - 66, 'Next >', () => this.step(1));
      const n = `${DOCUMENT.indexOf(this.page) + 1} / ${DOCUMENT.length}`;
      s.text(c.x + ((c.w - textWidth(n)) >> 1), c.y + ny + 5, n, COLORS.navText);
    });
    this.targets = targets;
    return this.win.refresh();
  }

  private targetAt(x: number, y: number): Target | undefined {
    return this.targets.find((t) => x >= t.r.x && y >= t.r.y && x < t.r.x + t.r.w && y < t.r.y + t.r.h);
  }

  async pointer(x: number, y: number, click: boolean): Promise<void> {
    const t = this.targetAt(x, y);
    if (click) {
      t?.go();
    } else {
      if (t === this.hover) return;
      this.hover = t;
    }
    await this.draw();
  }

  async key(code: number): Promise<void> {
    if (code === KEY.KEY_RIGHT || code === KEY.KEY_PAGEDOWN) this.step(1);
    else if (code === KEY.KEY_LEFT || code === KEY.KEY_PAGEUP) this.step(-1);
    else if (code === KEY.KEY_BACKSPACE) this.back();
    else if (code === KEY.KEY_HOME) this.goto('welcome');
    else return;
    await this.draw();
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let cfg: { x: number; y: number; w: number; h: number };
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text() || '<config/>', 'config of scout');
    cfg = { x: c.numberAttr('xpos', 40), y: c.numberAttr('ypos', 40), w: c.numberAttr('width', 400), h: c.numberAttr('height', 320) };
    if (cfg.w < 200 || cfg.h < 120) throw c.error(`window ${cfg.w}x${cfg.h} is too small (at least 200x120)`);
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const win = await Window.open(env, { title: 'Scout', x: cfg.x, y: cfg.y, width: cfg.w, height: cfg.h });
  const scout = new Scout(win);
  win.listen(async (e) => {
    if (e.type === 'motion') await scout.pointer(e.x, e.y, false);
    else if (e.type === 'press' && e.code === KEY.BTN_LEFT) await scout.pointer(e.x, e.y, true);
    else if (e.type === 'press') await scout.key(e.code);
  });
  await scout.draw();
  await log(`scout ready: ${DOCUMENT.length} pages`);
}
