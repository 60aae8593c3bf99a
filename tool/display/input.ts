/*
 * Browser input into the emulated PC: keys by their DOM `code` into the PS/2 keyboard,
 * pointer positions into the PS/2 mouse. A PS/2 mouse only reports relative motion, so
 * the display keeps its own idea of where the guest's pointer is (a GUI server clamps it
 * to the screen, as this does) and first drives it into the top-left corner ("homing"),
 * after which every absolute position becomes the difference to the last one. Homing is
 * repeated whenever the browser pointer enters the display, which heals any drift.
 */
import { keyName, type Pc } from '../pc/index.js';

export type DisplayEvent =
  | { kind: 'key'; code: string; down: boolean }
  | { kind: 'move'; x: number; y: number }
  | { kind: 'buttons'; mask: number }
  | { kind: 'wheel'; dy: number }
  | { kind: 'enter' };

export class DisplayInput {
  private pointer: { x: number; y: number } | undefined;

  constructor(private readonly pc: Pc) {}

  private screen(): { width: number; height: number } {
    const m = this.pc.vga.mode();
    return m.enabled ? m : { width: 1024, height: 768 };
  }

  private home(): { x: number; y: number } {
    const { width, height } = this.screen();
    this.pc.mouse.move(-2 * width, -2 * height);
    return (this.pointer = { x: 0, y: 0 });
  }

  /** Performs one event; returns false for one it does not understand. */
  apply(e: DisplayEvent): boolean {
    switch (e.kind) {
      case 'key': {
        let key: string;
        try {
          key = keyName(e.code);
        } catch {
          return false; // a key the PS/2 keyboard does not have
        }
        if (e.down) this.pc.keyboard.press(key);
        else this.pc.keyboard.release(key);
        return true;
      }
      case 'enter':
        this.home();
        return true;
      case 'move': {
        if (!Number.isFinite(e.x) || !Number.isFinite(e.y)) return false;
        const { width, height } = this.screen();
        const from = this.pointer ?? this.home();
        const to = { x: Math.max(0, Math.min(width - 1, Math.round(e.x))), y: Math.max(0, Math.min(height - 1, Math.round(e.y))) };
        this.pc.mouse.move(to.x - from.x, to.y - from.y);
        this.pointer = to;
        return true;
      }
      case 'buttons':
        if (!Number.isInteger(e.mask)) return false;
        this.pc.mouse.buttons(e.mask);
        return true;
      case 'wheel':
        if (!Number.isFinite(e.dy)) return false;
        if (e.dy !== 0) this.pc.mouse.wheel(Math.sign(e.dy));
        return true;
      default:
        return false;
    }
  }
}
