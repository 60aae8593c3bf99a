/*
 * The 8259A programmable interrupt controller pair of the PC: a master at 0x20/0x21 whose
 * IR2 input is driven by a slave at 0xA0/0xA1, plus the PIIX edge/level control register
 * (ELCR) at 0x4D0/0x4D1.
 *
 * The pair is the CPU's InterruptLine: devices drive IRQ wires 0-15, the pair tells the
 * kernel when INTR may be asserted, and `acknowledge()` is the INTA cycle.
 */

import type { InterruptLine } from '../../base/src/machine.js';
import type { IoWidth, IrqLine, PortHandler } from './io.js';

const CASCADE_IR = 2;

/** One 8259A. All bit masks are indexed by the chip's own IR input (0-7). */
export class Pic8259 {
  /** Interrupt request register: inputs that asked for service. */
  irr = 0;
  /** In-service register: interrupts delivered to the CPU and not yet EOI'd. */
  isr = 0;
  /** Interrupt mask register (OCW1): 1 = masked. */
  imr = 0;
  /** Vector base from ICW2 (low three bits are the IR number at INTA). */
  vectorBase = 0;
  /** ICW3: on the master the inputs with a slave behind them, on the slave its cascade id. */
  cascade = 0;
  autoEoi = false;
  specialFullyNested = false;
  /** PIIX ELCR bits: 1 = level-triggered input. */
  elcr = 0;
  /** INTA cycles this chip answered with nothing to deliver (real silicon returns IR7 then, without an ISR bit). */
  spurious = 0;

  private levelMode = false; // ICW1 LTIM: all inputs level-triggered
  private lines = 0; // current level of each input wire, for edge detection
  private lowestPriority = 7; // rotation state: the IR with the lowest priority
  private rotateInAutoEoi = false;
  private specialMask = false;
  private readIsr = false; // OCW3: command-port reads return ISR instead of IRR
  private pollPending = false;
  private initStep: 0 | 2 | 3 | 4 = 0; // the ICW the next data-port write is
  private needIcw4 = false;
  private single = false;

  constructor(readonly elcrWritable: number) {}

  /** Drive input `ir` to `level`. Edge mode latches a 0->1 transition; level mode follows the wire. */
  setInput(ir: number, level: boolean): void {
    const bit = 1 << ir;
    if (this.isLevelTriggered(ir)) {
      this.irr = level ? this.irr | bit : this.irr & ~bit;
    } else if (level && !(this.lines & bit)) {
      this.irr |= bit;
    }
    this.lines = level ? this.lines | bit : this.lines & ~bit;
  }

  /** A device's first drive of its wire: record the level without seeing an edge in it. */
  initInput(ir: number, level: boolean): void {
    const bit = 1 << ir;
    this.lines = level ? this.lines | bit : this.lines & ~bit;
    if (this.isLevelTriggered(ir)) this.setInput(ir, level);
  }

  isLevelTriggered(ir: number): boolean {
    return this.levelMode || (this.elcr & (1 << ir)) !== 0;
  }

  /** The IR the chip would deliver now, or undefined if nothing may interrupt. */
  pending(): number | undefined {
    const requests = this.irr & ~this.imr;
    if (requests === 0) return undefined;
    const request = this.highestPriority(requests)!;
    const inService = this.specialMask ? this.isr & ~this.imr : this.isr;
    const serving = this.highestPriority(inService);
    if (serving === undefined) return request;
    const higher = this.priority(request) < this.priority(serving);
    // Special fully nested mode lets a slave interrupt nest behind another one from the same slave.
    const nestedSlave = this.specialFullyNested && request === serving && (this.cascade & (1 << request)) !== 0;
    return higher || nestedSlave ? request : undefined;
  }

  /** The chip's part of INTA: move the request into service. Undefined = spurious (no ISR bit set). */
  acknowledge(): number | undefined {
    const ir = this.pending();
    if (ir === undefined) {
      this.spurious++;
      return undefined;
    }
    const bit = 1 << ir;
    if (!this.isLevelTriggered(ir)) this.irr &= ~bit;
    if (!this.autoEoi) this.isr |= bit;
    else if (this.rotateInAutoEoi) this.lowestPriority = ir;
    return ir;
  }

  readCommand(): number {
    if (this.pollPending) {
      // Poll mode: the read itself is the acknowledge; bit 7 says whether there was a request.
      this.pollPending = false;
      const ir = this.acknowledge();
      return ir === undefined ? 0 : 0x80 | ir;
    }
    return this.readIsr ? this.isr : this.irr;
  }

  readData(): number {
    return this.imr;
  }

  writeCommand(value: number): void {
    if (value & 0x10) this.icw1(value);
    else if ((value & 0x18) === 0x00) this.ocw2(value);
    else if ((value & 0x18) === 0x08) this.ocw3(value);
  }

  writeData(value: number): void {
    switch (this.initStep) {
      case 2:
        this.vectorBase = value & 0xf8;
        this.initStep = !this.single ? 3 : this.needIcw4 ? 4 : 0;
        return;
      case 3:
        this.cascade = value;
        this.initStep = this.needIcw4 ? 4 : 0;
        return;
      case 4:
        this.autoEoi = (value & 0x02) !== 0;
        this.specialFullyNested = (value & 0x10) !== 0;
        this.initStep = 0;
        return;
      default:
        this.imr = value; // OCW1
    }
  }

  writeElcr(value: number): void {
    this.elcr = value & this.elcrWritable;
    this.refreshLevelInputs();
  }

  private icw1(value: number): void {
    // Initialisation restarts everything; the edge detector forgets nothing about the wires,
    // so an input that is already high needs a new 0->1 transition to request service.
    this.levelMode = (value & 0x08) !== 0;
    this.single = (value & 0x02) !== 0;
    this.needIcw4 = (value & 0x01) !== 0;
    this.initStep = 2;
    this.irr = 0;
    this.isr = 0;
    this.imr = 0;
    this.autoEoi = false;
    this.specialFullyNested = false;
    this.lowestPriority = 7;
    this.rotateInAutoEoi = false;
    this.specialMask = false;
    this.readIsr = false;
    this.pollPending = false;
    this.refreshLevelInputs();
  }

  private ocw2(value: number): void {
    const level = value & 7;
    switch (value >> 5) {
      case 0b001: // non-specific EOI
        this.endOfInterrupt(this.highestPriority(this.isr));
        break;
      case 0b011: // specific EOI
        this.endOfInterrupt(level);
        break;
      case 0b101: { // rotate on non-specific EOI
        const ir = this.highestPriority(this.isr);
        this.endOfInterrupt(ir);
        if (ir !== undefined) this.lowestPriority = ir;
        break;
      }
      case 0b111: // rotate on specific EOI
        this.endOfInterrupt(level);
        this.lowestPriority = level;
        break;
      case 0b110: // set priority
        this.lowestPriority = level;
        break;
      case 0b100:
        this.rotateInAutoEoi = true;
        break;
      case 0b000:
        this.rotateInAutoEoi = false;
        break;
    }
  }

  private ocw3(value: number): void {
    if (value & 0x04) this.pollPending = true;
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
    if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
  }

  private endOfInterrupt(ir: number | undefined): void {
    if (ir !== undefined) this.isr &= ~(1 << ir);
  }

  /** Level-triggered inputs mirror their wire in IRR at all times. */
  private refreshLevelInputs(): void {
    for (let ir = 0; ir < 8; ir++) {
      if (this.isLevelTriggered(ir)) this.setInput(ir, (this.lines & (1 << ir)) !== 0);
    }
  }

  /** 0 = highest priority. Without rotation IR0 is highest and IR7 lowest. */
  private priority(ir: number): number {
    return (ir - this.lowestPriority - 1) & 7;
  }

  private highestPriority(mask: number): number | undefined {
    for (let step = 0; step < 8; step++) {
      const ir = (this.lowestPriority + 1 + step) & 7;
      if (mask & (1 << ir)) return ir;
    }
    return undefined;
  }
}

/** The cascaded pair as the PC wires it: IRQ 0-7 on the master, IRQ 8-15 on the slave behind master IR2. */
export class PicPair implements InterruptLine, PortHandler {
  readonly master = new Pic8259(0xf8); // IRQ 0, 1, 2 are always edge-triggered
  readonly slave = new Pic8259(0xde); // IRQ 8 and 13 are always edge-triggered
  /** INTA cycles that found nothing to deliver (no ISR bit was set for them). */
  spuriousAcknowledges = 0;

  private readonly listeners: Array<() => void> = [];
  private intrWas = false; // INTR level at the last update, to notify on its rising edge only
  private notifying = false;
  private notifyAgain = false;

  constructor() {
    // No firmware runs before the kernel: start as a BIOS would leave the pair (vectors 0x08 and
    // 0x70, cascade on IR2) but with every line masked until the kernel initialises it.
    this.master.vectorBase = 0x08;
    this.master.cascade = 1 << CASCADE_IR;
    this.master.imr = 0xff;
    this.slave.vectorBase = 0x70;
    this.slave.cascade = CASCADE_IR;
    this.slave.imr = 0xff;
  }

  /**
   * The wire of IRQ `irq` (0-15), for a device to drive. The device's first drive only sets the
   * wire's level (an output settling at power-on is not an interrupt); later 0->1 changes are edges.
   */
  line(irq: number): IrqLine {
    if (!Number.isInteger(irq) || irq < 0 || irq > 15 || irq === CASCADE_IR) {
      throw new RangeError(`no device IRQ line ${irq} on the PIC pair`);
    }
    let driven = false;
    return {
      set: (level: boolean) => {
        if (driven) return this.setIrq(irq, level);
        driven = true;
        (irq < 8 ? this.master : this.slave).initInput(irq & 7, level);
        this.update();
      },
    };
  }

  setIrq(irq: number, level: boolean): void {
    if (irq < 8) this.master.setInput(irq, level);
    else this.slave.setInput(irq - 8, level);
    this.update();
  }

  raise(irq: number): void { this.setIrq(irq, true); }
  lower(irq: number): void { this.setIrq(irq, false); }

  /** The level of the CPU's INTR input right now. */
  get intr(): boolean {
    return this.master.pending() !== undefined;
  }

  onAssert(listener: () => void): void {
    this.listeners.push(listener);
  }

  acknowledge(): number | undefined {
    const masterIr = this.master.acknowledge();
    let irq: number | undefined;
    if (masterIr === undefined) {
      this.spuriousAcknowledges++;
      irq = undefined;
    } else if (masterIr === CASCADE_IR) {
      const slaveIr = this.slave.acknowledge();
      // The slave lost its request before INTA: it answers with IR7 (IRQ15) and sets no ISR bit,
      // while master IR2 is in service, so the handler must EOI the master only.
      if (slaveIr === undefined) this.spuriousAcknowledges++;
      irq = 8 + (slaveIr ?? 7);
    } else {
      irq = masterIr;
    }
    // The kernel consumed one interrupt; if INTR is still asserted that is news for it.
    this.intrWas = false;
    this.update();
    return irq;
  }

  /** The vector the CPU would get for `irq` with the current ICW2 programming. */
  vectorOf(irq: number): number {
    return irq < 8 ? this.master.vectorBase | irq : this.slave.vectorBase | (irq - 8);
  }

  inPort(port: number, _width: IoWidth): number {
    switch (port) {
      case 0x20: return this.afterRead(this.master.readCommand());
      case 0x21: return this.master.readData();
      case 0xa0: return this.afterRead(this.slave.readCommand());
      case 0xa1: return this.slave.readData();
      case 0x4d0: return this.master.elcr;
      case 0x4d1: return this.slave.elcr;
      default: return 0xff;
    }
  }

  outPort(port: number, _width: IoWidth, value: number): void {
    value &= 0xff;
    switch (port) {
      case 0x20: this.master.writeCommand(value); break;
      case 0x21: this.master.writeData(value); break;
      case 0xa0: this.slave.writeCommand(value); break;
      case 0xa1: this.slave.writeData(value); break;
      case 0x4d0: this.master.writeElcr(value); break;
      case 0x4d1: this.slave.writeElcr(value); break;
      default: return;
    }
    this.update();
  }

  /** A poll-mode read may have acknowledged an interrupt: propagate it like any other change. */
  private afterRead(value: number): number {
    this.update();
    return value;
  }

  /** Propagate the slave's INT output to master IR2 and tell the CPU when INTR becomes asserted. */
  private update(): void {
    this.master.setInput(CASCADE_IR, this.slave.pending() !== undefined);
    const intr = this.master.pending() !== undefined;
    const rose = intr && !this.intrWas;
    this.intrWas = intr;
    if (rose) this.notify();
  }

  // A listener may call acknowledge() (which updates and notifies again): flatten that into a loop.
  private notify(): void {
    if (this.notifying) {
      this.notifyAgain = true;
      return;
    }
    this.notifying = true;
    try {
      do {
        this.notifyAgain = false;
        for (const listener of this.listeners) listener();
      } while (this.notifyAgain && this.master.pending() !== undefined);
    } finally {
      this.notifying = false;
    }
  }
}
