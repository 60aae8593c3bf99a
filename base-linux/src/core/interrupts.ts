/*
 * Interrupts on linux, as the emulated kernels take them: core programs the 8259 pair at
 * boot (ICW1-4, vectors 0x20/0x28) with every line masked, unmasks a line when an IRQ
 * session attaches to it and masks it again on detach. On each assertion of the CPU's
 * interrupt line it runs the acknowledge cycle, ends the interrupt at the PIC at once (the
 * IRQ session remembers the occurrence until its holder acknowledges it) and calls the
 * line's handler. Everything runs in the main thread, which owns the machine.
 */
import type { Machine } from '../../../base/src/machine.js';

const MASTER_CMD = 0x20;
const MASTER_DATA = 0x21;
const SLAVE_CMD = 0xa0;
const SLAVE_DATA = 0xa1;
const CASCADE = 2;
/** OCW2 specific EOI for the line in the low bits. */
const SPECIFIC_EOI = 0x60;

export class Interrupts {
  private readonly handlers = new Map<number, () => void>();
  private dispatching = false;
  delivered = 0;

  /** `beforeCheck` brings the machine up to date (its time) before pending lines are read. */
  constructor(private readonly machine: Machine, private readonly beforeCheck: () => void) {
    const out = (port: number, v: number) => machine.outPort(port, 1, v);
    out(MASTER_CMD, 0x11); out(MASTER_DATA, 0x20); out(MASTER_DATA, 1 << CASCADE); out(MASTER_DATA, 0x01);
    out(SLAVE_CMD, 0x11); out(SLAVE_DATA, 0x28); out(SLAVE_DATA, CASCADE); out(SLAVE_DATA, 0x01);
    out(MASTER_DATA, 0xff & ~(1 << CASCADE)); // all masked but the cascade line
    out(SLAVE_DATA, 0xff);
    machine.interrupts.onAssert(() => this.check());
  }

  /** Routes `irq` to `handler` and unmasks it; false for the cascade, a line out of range or one taken. */
  attach(irq: number, handler: () => void): boolean {
    if (!Number.isInteger(irq) || irq < 0 || irq > 15 || irq === CASCADE || this.handlers.has(irq)) return false;
    this.handlers.set(irq, handler);
    this.setMasked(irq, false);
    /* an occurrence latched while the line was masked comes now */
    this.check();
    return true;
  }

  detach(irq: number): void {
    if (!this.handlers.delete(irq)) return;
    this.setMasked(irq, true);
  }

  private setMasked(irq: number, masked: boolean): void {
    const port = irq < 8 ? MASTER_DATA : SLAVE_DATA;
    const bit = 1 << (irq & 7);
    const imr = this.machine.inPort(port, 1);
    this.machine.outPort(port, 1, masked ? imr | bit : imr & ~bit);
  }

  /** Takes every pending interrupt; an assertion while it runs is taken by the same loop. */
  check(): void {
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      this.beforeCheck();
      for (;;) {
        const irq = this.machine.interrupts.acknowledge();
        if (irq === undefined) break;
        if (irq >= 8) this.machine.outPort(SLAVE_CMD, 1, SPECIFIC_EOI | (irq - 8));
        this.machine.outPort(MASTER_CMD, 1, SPECIFIC_EOI | (irq >= 8 ? CASCADE : irq));
        const handler = this.handlers.get(irq);
        if (!handler) continue; // spurious or detached meanwhile
        this.delivered++;
        handler();
      }
    } finally {
      this.dispatching = false;
    }
  }
}
