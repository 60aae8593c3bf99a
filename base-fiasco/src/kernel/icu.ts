/*
 * The interrupt control unit: connects the machine's interrupt lines (the 8259 pair) to
 * IRQ objects. Binding a line to an IRQ unmasks it at the PIC; an occurrence masks the
 * line, acknowledges it and hits the IRQ, whose receiver unmasks it again with an EOI.
 */
import { L4_EBADPROTO, L4_EBUSY, L4_EINVAL, L4_ENOENT, L4_ICU_OP_BIND, L4_ICU_OP_MASK, L4_ICU_OP_UNBIND, L4_ICU_OP_UNMASK, L4_PROTO_IRQ } from './consts.js';
import { Cost } from './cost_model.js';
import { Irq } from './irq.js';
import { KObject, type Invocation } from './kobject.js';
import { l4_msgtag, l4_msgtag_label } from './msgtag.js';
import type { Machine } from '../../../base/src/machine.js';

/** The slave PIC hangs off line 2, which is no device's. */
const CASCADE_LINE = 2;
export const ICU_LINES = 16;

export class Icu extends KObject {
  readonly kind = 'Icu';
  private readonly bound = new Map<number, Irq>();

  constructor(private readonly machine: Machine) {
    super();
    /* program the 8259 pair as the kernel does at boot: vectors 0x20 and 0x28, all lines masked */
    const out = (port: number, v: number) => machine.outPort(port, 1, v);
    out(0x20, 0x11); out(0x21, 0x20); out(0x21, 0x04); out(0x21, 0x01);
    out(0xa0, 0x11); out(0xa1, 0x28); out(0xa1, 0x02); out(0xa1, 0x01);
    out(0x21, 0xff & ~(1 << CASCADE_LINE));
    out(0xa1, 0xff);
  }

  invoke(inv: Invocation): number {
    if (l4_msgtag_label(inv.tag) !== L4_PROTO_IRQ) return l4_msgtag(-L4_EBADPROTO, 0, 0, 0);
    const mr = inv.utcb;
    inv.kernel.charge(Cost.OBJECT_OP);
    const line = mr[1]!;
    if (line >= ICU_LINES || line === CASCADE_LINE) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
    switch (mr[0]) {
      case L4_ICU_OP_BIND: {
        const irq = inv.kernel.itemObject(inv.caller, mr[2]!, mr[3]!);
        if (!(irq instanceof Irq) || !irq.alive) return l4_msgtag(-L4_EINVAL, 0, 0, 0);
        if (this.bound.has(line) || irq.line !== undefined) return l4_msgtag(-L4_EBUSY, 0, 0, 0);
        this.bound.set(line, irq);
        irq.line = line;
        irq.masked = false;
        this.setMask(line, false);
        return l4_msgtag(0, 0, 0, 0);
      }
      case L4_ICU_OP_UNBIND: {
        const irq = this.bound.get(line);
        if (!irq) return l4_msgtag(-L4_ENOENT, 0, 0, 0);
        this.unbind(irq);
        return l4_msgtag(0, 0, 0, 0);
      }
      case L4_ICU_OP_UNMASK:
      case L4_ICU_OP_MASK:
        this.setMask(line, mr[0] === L4_ICU_OP_MASK);
        return l4_msgtag(0, 0, 0, 0);
      default:
        return l4_msgtag(-L4_ENOENT, 0, 0, 0);
    }
  }

  unbind(irq: Irq): void {
    if (irq.line === undefined) return;
    this.setMask(irq.line, true);
    this.bound.delete(irq.line);
    irq.line = undefined;
  }

  /** An interrupt arrived on `line`: mask and acknowledge it; returns the IRQ to hit. */
  occurred(line: number): Irq | undefined {
    const irq = this.bound.get(line);
    this.setMask(line, true);
    if (line >= 8) this.machine.outPort(0xa0, 1, 0x60 | (line - 8));
    this.machine.outPort(0x20, 1, 0x60 | (line >= 8 ? CASCADE_LINE : line));
    if (irq) irq.masked = true;
    return irq;
  }

  /** The receiver acknowledged the IRQ: its line may interrupt again. */
  eoi(irq: Irq): void {
    if (irq.line === undefined || !irq.masked) return;
    irq.masked = false;
    this.setMask(irq.line, false);
  }

  private setMask(line: number, masked: boolean): void {
    const port = line < 8 ? 0x21 : 0xa1;
    const bit = 1 << (line & 7);
    const imr = this.machine.inPort(port, 1);
    this.machine.outPort(port, 1, masked ? imr | bit : imr & ~bit);
  }
}
