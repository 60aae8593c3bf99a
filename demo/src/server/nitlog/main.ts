/*
 * nitlog: a LOG service that shows its log lines in a nitpicker window, newest at the
 * bottom. Each line starts with the writer's session label, which the parents composed,
 * so a client cannot pose as another in the log.
 *
 *   <config xpos="20" ypos="420" width="560" lines="20"/>
 */
import type { Env } from '../../../../base/src/lib/env.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { LogSession } from '../../../../base/src/session/log/session.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { CHAR_WIDTH, LINE_HEIGHT } from '../../../../os/src/lib/font.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { Window } from '../../lib/window.js';

const COLORS = { background: 0x10141c, label: 0x80b0ff, text: 0xd8dce4 };

class LogView {
  private readonly lines: Array<{ label: string; text: string }> = [];
  private pending: Promise<void> = Promise.resolve();

  constructor(private readonly win: Window, private readonly rows: number) {}

  /** Appends a line and redraws; redraws are serialised so lines appear in order. */
  add(label: string, text: string): Promise<void> {
    this.lines.push({ label, text });
    if (this.lines.length > this.rows) this.lines.splice(0, this.lines.length - this.rows);
    this.pending = this.pending.then(() => this.draw());
    return this.pending;
  }

  draw(): Promise<void> {
    const s = this.win.surface;
    const c = this.win.content;
    s.clipped(c, () => {
      s.fill(c.x, c.y, c.w, c.h, COLORS.background);
      this.lines.forEach((l, i) => {
        const y = c.y + 2 + i * LINE_HEIGHT;
        const x = s.text(c.x + CHAR_WIDTH, y, `[${l.label}] `, COLORS.label);
        s.text(x, y, l.text, COLORS.text);
      });
    });
    return this.win.refresh();
  }
}

class NitlogRoot extends RootComponent<LogSession> {
  constructor(env: Env, private readonly view: LogView) {
    super(env, LogSession, LogSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<LogSession> {
    return {
      write: async (text: string) => {
        await this.view.add(ctx.label, text.replace(/\n+$/, ''));
        return text.length;
      },
    };
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let cfg: { x: number; y: number; width: number; lines: number };
  try {
    const c = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text() || '<config/>', 'config of nitlog');
    cfg = { x: c.numberAttr('xpos', 20), y: c.numberAttr('ypos', 420), width: c.numberAttr('width', 560), lines: c.numberAttr('lines', 20) };
    if (cfg.lines < 1 || cfg.width < 40) throw c.error('needs lines >= 1 and width >= 40');
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  const win = await Window.open(env, { title: 'Nitlog', x: cfg.x, y: cfg.y, width: cfg.width, height: cfg.lines * LINE_HEIGHT + 4 });
  const view = new LogView(win, cfg.lines);
  await view.draw();
  await new NitlogRoot(env, view).announce();
  await log('nitlog ready');
}
