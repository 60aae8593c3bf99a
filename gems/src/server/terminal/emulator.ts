/*
 * The terminal's screen: @xterm/headless parses what the client writes (VT100/xterm
 * escape sequences, colours, scroll regions, the alternate screen) and keeps the screen
 * and the scrollback; this draws the visible part into a surface with the bitmap font,
 * one cell per character, and tells what the terminal answers (replies to queries such
 * as the cursor position report) so that they reach the client as input.
 *
 * Writes go through xterm's synchronous path: its asynchronous one schedules itself with
 * host timers and slices work by wall-clock time, neither of which a component has, and
 * the screen after a write must not depend on timing.
 */
import xterm, { type IBufferCell } from '@xterm/headless';
import type { Surface, Rect } from '../../../../os/src/lib/surface.js';
import { CHAR_WIDTH, LINE_HEIGHT } from '../../../../os/src/lib/font.js';
import { DEFAULT_BG, DEFAULT_FG, PALETTE, dim } from './palette.js';

export interface EmulatorSpec {
  columns: number;
  lines: number;
  /** Lines kept above the screen. */
  scrollback: number;
}

/* the parts of xterm's core reached past its public typings (stable in v5 and v6) */
interface XtermCore {
  writeSync(data: string | Uint8Array): void;
  coreService: { isCursorHidden: boolean };
}

export class Emulator {
  private readonly term: xterm.Terminal;
  private readonly core: XtermCore;
  private readonly cell: IBufferCell;

  constructor(readonly spec: EmulatorSpec, private readonly answer: (text: string) => void) {
    this.term = new xterm.Terminal({
      cols: spec.columns,
      rows: spec.lines,
      scrollback: spec.scrollback,
      allowProposedApi: true,
      logLevel: 'off',
      convertEol: false,
    });
    this.core = (this.term as unknown as { _core: XtermCore })._core;
    this.term.onData((text) => this.answer(text));
    this.cell = this.term.buffer.active.getNullCell();
  }

  /** Bytes from the client (UTF-8). */
  write(bytes: Uint8Array): void {
    this.core.writeSync(bytes);
  }

  get applicationCursor(): boolean {
    return this.term.modes.applicationCursorKeysMode;
  }

  /** Scrolls the view by `lines` (negative: back into the scrollback). */
  scroll(lines: number): void {
    this.term.scrollLines(lines);
  }

  scrollPage(pages: number): void {
    this.term.scrollPages(pages);
  }

  /** Back to the screen (on a key press, as xterm does). */
  follow(): void {
    this.term.scrollToBottom();
  }

  get width(): number {
    return this.spec.columns * CHAR_WIDTH;
  }

  get height(): number {
    return this.spec.lines * LINE_HEIGHT;
  }

  private color(mode: 'fg' | 'bg', c: IBufferCell, bold: boolean): number {
    const fg = mode === 'fg';
    if (fg ? c.isFgDefault() : c.isBgDefault()) return fg ? DEFAULT_FG : DEFAULT_BG;
    const value = fg ? c.getFgColor() : c.getBgColor();
    if (fg ? c.isFgRGB() : c.isBgRGB()) return value & 0xffffff;
    /* bold text in one of the 8 standard colours shows in its bright variant, as in xterm */
    return PALETTE[fg && bold && value < 8 ? value + 8 : value] ?? DEFAULT_FG;
  }

  /** Draws the visible lines into `area` of `s` (which is the terminal's size). */
  draw(s: Surface, area: Rect): void {
    const buf = this.term.buffer.active;
    const showCursor = !this.core.coreService.isCursorHidden && buf.viewportY === buf.baseY;
    const cell = this.cell;
    s.clipped(area, () => {
      for (let row = 0; row < this.spec.lines; row++) {
        const line = buf.getLine(buf.viewportY + row);
        const y = area.y + row * LINE_HEIGHT;
        for (let col = 0; col < this.spec.columns; col++) {
          const x = area.x + col * CHAR_WIDTH;
          let fg = DEFAULT_FG;
          let bg = DEFAULT_BG;
          let ch = ' ';
          let underline = false;
          if (line?.getCell(col, cell)) {
            const bold = cell.isBold() !== 0;
            fg = this.color('fg', cell, bold);
            bg = this.color('bg', cell, bold);
            if (cell.isDim()) fg = dim(fg);
            if (cell.isInverse()) [fg, bg] = [bg, fg];
            if (cell.isInvisible()) fg = bg;
            ch = cell.getChars() || ' ';
            underline = cell.isUnderline() !== 0;
          }
          if (showCursor && row === buf.cursorY && col === Math.min(buf.cursorX, this.spec.columns - 1)) [fg, bg] = [bg, fg];
          s.fill(x, y, CHAR_WIDTH, LINE_HEIGHT, bg);
          if (ch !== ' ') s.text(x, y, ch, fg);
          if (underline) s.fill(x, y + LINE_HEIGHT - 1, CHAR_WIDTH, 1, fg);
        }
      }
    });
  }
}
