/*
 * terminal (Genode's gems/src/server/terminal): a graphical terminal emulator in a
 * nitpicker window serving one Terminal session at a time. What the client writes is
 * interpreted as an xterm would (escape sequences, colours, cursor movement, scrolling,
 * the alternate screen); keys typed into the window reach the client as the bytes an
 * xterm sends. Shift+PageUp/PageDown and the mouse wheel scroll through the scrollback.
 *
 *   <config xpos="40" ypos="60" columns="80" lines="25" scrollback="500" title="Terminal"/>
 *
 * A write returns once the screen shows it, so a client cannot outrun the display and
 * what is on the screen after a client's last write does not depend on timing.
 */
import { ServiceDenied } from '../../../../base/src/errors.js';
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../../base/src/lib/root_component.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { describeError, openLog } from '../../../../os/src/lib/log.js';
import { SessionDataspace } from '../../../../os/src/lib/session_dataspace.js';
import { KEY } from '../../../../os/src/session/input/keycodes.js';
import { TerminalSession } from '../../../../os/src/session/terminal/session.js';
import { BufferedTerminalSession } from '../../../../os/src/session/terminal/session_component.js';
import { Window } from '../../../../demo/src/lib/window.js';
import { Emulator } from './emulator.js';
import { Keyboard } from './keyboard.js';

/** Typed bytes kept for the client; more are dropped (and counted) until it reads. */
export const INPUT_BUFFER_BYTES = 16 * 1024;
const MAX_COLUMNS = 300;
const MAX_LINES = 150;
/* xterm keeps 12 bytes per cell: a million cells of scrollback are 12 MB of the component's heap */
const MAX_SCROLLBACK_CELLS = 1_000_000;

/** Keeps the window showing the emulator's screen: draws are coalesced, never queued up. */
class Display {
  private dirty = false;
  private drawing: Promise<void> | undefined;

  constructor(private readonly win: Window, private readonly emu: Emulator) {}

  /** Resolves once a draw that began after this call has reached the screen. */
  update(): Promise<void> {
    this.dirty = true;
    this.drawing ??= this.loop();
    return this.drawing;
  }

  private async loop(): Promise<void> {
    try {
      while (this.dirty) {
        this.dirty = false;
        this.emu.draw(this.win.surface, this.win.content);
        await this.win.refresh();
      }
    } finally {
      this.drawing = undefined;
    }
  }
}

class TerminalComponent extends BufferedTerminalSession {
  constructor(env: Env, io: SessionDataspace, private readonly emu: Emulator, private readonly display: Display) {
    super(env, io, INPUT_BUFFER_BYTES);
  }

  size = async () => ({ columns: this.emu.spec.columns, lines: this.emu.spec.lines });

  write = async (count: number) => {
    const n = this.count('write', count);
    if (n === 0) return 0;
    /* a copy: the client may change its buffer while the emulator still holds the bytes */
    this.emu.write(this.io.bytes.slice(0, n));
    await this.display.update();
    return n;
  };
}

class TerminalRoot extends RootComponent<TerminalSession> {
  current: TerminalComponent | undefined;
  private label = '';

  constructor(env: Env, private readonly emu: Emulator, private readonly display: Display) {
    super(env, TerminalSession, TerminalSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<TerminalSession> {
    if (this.current) throw new ServiceDenied(`the terminal is in use by "${this.label}"`);
    const s = new TerminalComponent(this.env, await SessionDataspace.create(this.env, ctx.quota, TerminalSession.IO_BUFFER_BYTES), this.emu, this.display);
    this.current = s;
    this.label = ctx.label;
    return s;
  }

  protected override async destroySession(session: TerminalSession): Promise<void> {
    if (session === this.current) this.current = undefined;
    (session as TerminalComponent).drop();
    await (session as TerminalComponent).io.destroy();
  }
}

interface Config {
  x: number;
  y: number;
  columns: number;
  lines: number;
  scrollback: number;
  title: string;
}

function parseConfig(text: string): Config {
  const c = XmlNode.parse(text || '<config/>', 'config of terminal');
  const cfg = {
    x: c.numberAttr('xpos', 40),
    y: c.numberAttr('ypos', 60),
    columns: c.numberAttr('columns', 80),
    lines: c.numberAttr('lines', 25),
    scrollback: c.numberAttr('scrollback', 500),
    title: c.attr('title', 'Terminal'),
  };
  if (cfg.columns < 2 || cfg.columns > MAX_COLUMNS) throw c.error(`columns="${cfg.columns}" is not within 2..${MAX_COLUMNS}`);
  if (cfg.lines < 1 || cfg.lines > MAX_LINES) throw c.error(`lines="${cfg.lines}" is not within 1..${MAX_LINES}`);
  if (cfg.scrollback * cfg.columns > MAX_SCROLLBACK_CELLS) {
    throw c.error(`scrollback="${cfg.scrollback}" is more than ${Math.floor(MAX_SCROLLBACK_CELLS / cfg.columns)} lines of ${cfg.columns} columns (${MAX_SCROLLBACK_CELLS} cells)`);
  }
  return cfg;
}

const asBytes = (text: string) => Array.from(new TextEncoder().encode(text));

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  let cfg: Config;
  try {
    cfg = parseConfig((await AttachedRomDataspace.open(env, 'config')).text());
  } catch (e) {
    await log(`Error: bad config: ${describeError(e)}`);
    await env.exit(1);
    return;
  }
  let root: TerminalRoot | undefined;
  const emu = new Emulator({ columns: cfg.columns, lines: cfg.lines, scrollback: cfg.scrollback }, (answer) => root?.current?.received(asBytes(answer)));
  const win = await Window.open(env, { title: cfg.title, x: cfg.x, y: cfg.y, width: emu.width, height: emu.height });
  const display = new Display(win, emu);
  root = new TerminalRoot(env, emu, display);
  const keyboard = new Keyboard();
  win.listen(async (e) => {
    switch (e.type) {
      case 'press': {
        if (keyboard.shifted && (e.code === KEY.KEY_PAGEUP || e.code === KEY.KEY_PAGEDOWN)) {
          emu.scrollPage(e.code === KEY.KEY_PAGEUP ? -1 : 1);
          return display.update();
        }
        const bytes = keyboard.press(e.code, emu.applicationCursor);
        if (!bytes) return;
        emu.follow();
        root!.current?.received(asBytes(bytes));
        return display.update();
      }
      case 'release':
        return keyboard.release(e.code);
      case 'wheel':
        emu.scroll(-3 * e.steps);
        return display.update();
    }
  });
  await display.update();
  /* said before the service is announced: a client's first line always comes after it */
  await log(`terminal ready: ${cfg.columns}x${cfg.lines}, ${cfg.scrollback} lines of scrollback`);
  await root.announce();
}
