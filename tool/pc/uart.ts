/*
 * A 16550A UART (COM1 at 0x3F8 with IRQ4 on the PC).
 *
 * Transmission is instantaneous: a byte written to THR reaches the output listeners at once,
 * and THR is empty again (THRE/TEMT set, the THRE interrupt pending). Received bytes injected
 * by the host wait in a host-side queue and enter the RX FIFO as fast as the guest makes room,
 * so nothing is lost (think of it as hardware flow control). The one timed behaviour is the
 * FIFO character timeout: with fewer bytes than the trigger level in the FIFO, the RX interrupt
 * comes after four character times without FIFO activity, computed from the divisor, the line
 * format and the TSC.
 *
 * The IRQ output is gated by MCR.OUT2 (and off in loopback), as the PC's interrupt buffer is.
 */

import type { IoWidth, IrqLine, PortHandler } from './io.js';
import type { TimedDevice, Tsc } from './tsc.js';

export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;

/** The UART's bit clock divided by 16: divisor 1 = 115200 baud. */
const BASE_BAUD = 115200;
const FIFO_SIZE = 16;
const RX_TRIGGER_LEVELS = [1, 4, 8, 14];

// Register offsets from the base port
const RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

export const IER_RX_DATA = 0x01;
export const IER_THRE = 0x02;
export const IER_LINE_STATUS = 0x04;
export const IER_MODEM_STATUS = 0x08;

const IIR_NONE = 0x01;
const IIR_LINE_STATUS = 0x06;
const IIR_RX_DATA = 0x04;
const IIR_CHAR_TIMEOUT = 0x0c;
const IIR_THRE = 0x02;
const IIR_MODEM_STATUS = 0x00;
const IIR_FIFOS_ENABLED = 0xc0;

const LCR_DLAB = 0x80;

export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

export const LSR_DATA_READY = 0x01;
export const LSR_OVERRUN = 0x02;
export const LSR_BREAK = 0x10;
export const LSR_THRE = 0x20;
export const LSR_TEMT = 0x40;
export const LSR_FIFO_ERROR = 0x80;
const LSR_ERRORS = 0x1e;

const MSR_CTS = 0x10, MSR_DSR = 0x20, MSR_RI = 0x40, MSR_DCD = 0x80;
/** What the far end shows when not in loopback: a connected, ready terminal. */
const MSR_CONNECTED = MSR_CTS | MSR_DSR | MSR_DCD;

export class Uart16550 implements PortHandler, TimedDevice {
  ier = 0;
  lcr = 0x03; // 8N1 at 115200, as a boot loader leaves COM1
  mcr = 0;
  scratch = 0;
  divisor = 1;
  fifoEnabled = false;
  rxTrigger = 1;

  private readonly rxFifo: number[] = [];
  private readonly waiting: number[] = []; // injected bytes not yet in the FIFO
  private lineErrors = 0; // LSR bits 1-4 until LSR is read
  private thrEmptyPending = false;
  private timeoutPending = false;
  private timeoutDeadline: number | undefined;
  private modemLines = MSR_CONNECTED; // MSR bits 4-7
  private modemDeltas = 0; // MSR bits 0-3
  private readonly listeners: Array<(byte: number) => void> = [];

  constructor(readonly base: number, private readonly irq: IrqLine, private readonly clock: Tsc) {
    this.updateIrq();
  }

  /** Called with every byte the guest transmits (not in loopback). */
  onTransmit(listener: (byte: number) => void): void {
    this.listeners.push(listener);
  }

  /** Bytes arriving on the serial line; strings are sent as UTF-8. */
  receive(data: string | ArrayLike<number>): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (let i = 0; i < bytes.length; i++) this.waiting.push(bytes[i] & 0xff);
    this.refillFifo();
    this.updateIrq();
    /* the character timeout may be due now */
    this.clock.scheduleChanged();
  }

  /** A break condition on the line: a zero byte with LSR.BI. */
  receiveBreak(): void {
    this.lineErrors |= LSR_BREAK;
    this.receive([0]);
  }

  /** Bytes received but not read by the guest yet (FIFO plus host-side queue). */
  get pendingInput(): number {
    return this.rxFifo.length + this.waiting.length;
  }

  sync(tsc: number): void {
    if (this.timeoutDeadline !== undefined && tsc >= this.timeoutDeadline) {
      this.timeoutDeadline = undefined;
      this.timeoutPending = this.rxFifo.length > 0;
      this.updateIrq();
    }
  }

  nextEventAt(): number | undefined {
    return this.timeoutDeadline;
  }

  /** TSC cycles one character takes on the line with the current divisor and format. */
  characterTime(): number {
    const dataBits = 5 + (this.lcr & 3);
    const parityBits = this.lcr & 0x08 ? 1 : 0;
    const stopBits = this.lcr & 0x04 ? (dataBits === 5 ? 1.5 : 2) : 1;
    const baud = BASE_BAUD / Math.max(1, this.divisor);
    return Math.ceil(((1 + dataBits + parityBits + stopBits) / baud) * this.clock.tscHz);
  }

  inPort(port: number, _width: IoWidth): number {
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    let value: number;
    switch (port - this.base) {
      case RBR_THR: value = dlab ? this.divisor & 0xff : this.readRbr(); break;
      case IER: value = dlab ? this.divisor >> 8 : this.ier; break;
      case IIR_FCR: value = this.readIir(); break;
      case LCR: value = this.lcr; break;
      case MCR: value = this.mcr; break;
      case LSR: value = this.readLsr(); break;
      case MSR: value = this.readMsr(); break;
      case SCR: value = this.scratch; break;
      default: return 0xff;
    }
    this.updateIrq();
    return value;
  }

  outPort(port: number, _width: IoWidth, value: number): void {
    value &= 0xff;
    const dlab = (this.lcr & LCR_DLAB) !== 0;
    switch (port - this.base) {
      case RBR_THR:
        if (dlab) this.divisor = (this.divisor & 0xff00) | value;
        else this.transmit(value);
        break;
      case IER:
        if (dlab) this.divisor = (this.divisor & 0x00ff) | (value << 8);
        else this.writeIer(value & 0x0f);
        break;
      case IIR_FCR: this.writeFcr(value); break;
      case LCR: this.lcr = value; break;
      case MCR: this.writeMcr(value & 0x1f); break;
      case SCR: this.scratch = value; break;
      // LSR and MSR writes are ignored (factory test only).
    }
    this.updateIrq();
  }

  private transmit(byte: number): void {
    this.thrEmptyPending = false;
    if (this.mcr & MCR_LOOP) {
      this.waiting.push(byte);
      this.refillFifo();
    } else {
      for (const listener of this.listeners) listener(byte);
    }
    this.thrEmptyPending = true; // sent at once: THR is empty again
  }

  private writeIer(value: number): void {
    // Enabling the THRE interrupt while THR is empty raises it straight away (as QEMU does).
    if (value & IER_THRE && !(this.ier & IER_THRE)) this.thrEmptyPending = true;
    this.ier = value;
  }

  private writeFcr(value: number): void {
    const enable = (value & 0x01) !== 0;
    if (enable !== this.fifoEnabled || value & 0x02) {
      this.rxFifo.length = 0; // toggling the FIFOs clears them
      this.timeoutPending = false;
      this.timeoutDeadline = undefined;
    }
    this.fifoEnabled = enable;
    this.rxTrigger = enable ? RX_TRIGGER_LEVELS[value >> 6] : 1;
    this.refillFifo();
  }

  private writeMcr(value: number): void {
    this.mcr = value;
    this.setModemLines(value & MCR_LOOP
      ? ((value & MCR_RTS) ? MSR_CTS : 0) | ((value & MCR_DTR) ? MSR_DSR : 0) |
        ((value & MCR_OUT1) ? MSR_RI : 0) | ((value & MCR_OUT2) ? MSR_DCD : 0)
      : MSR_CONNECTED);
  }

  private setModemLines(lines: number): void {
    const changed = lines ^ this.modemLines;
    if (changed & MSR_CTS) this.modemDeltas |= 0x01;
    if (changed & MSR_DSR) this.modemDeltas |= 0x02;
    if (changed & MSR_RI && !(lines & MSR_RI)) this.modemDeltas |= 0x04; // trailing edge of RI
    if (changed & MSR_DCD) this.modemDeltas |= 0x08;
    this.modemLines = lines;
  }

  private readRbr(): number {
    const byte = this.rxFifo.shift() ?? 0;
    this.timeoutPending = false;
    this.refillFifo();
    this.restartTimeout();
    return byte;
  }

  private readIir(): number {
    const cause = this.interruptCause();
    if (cause === IIR_THRE) this.thrEmptyPending = false; // reading IIR acknowledges THRE
    return cause | (this.fifoEnabled ? IIR_FIFOS_ENABLED : 0);
  }

  private readLsr(): number {
    const value = (this.rxFifo.length > 0 ? LSR_DATA_READY : 0) | this.lineErrors | LSR_THRE | LSR_TEMT |
      (this.fifoEnabled && this.lineErrors & LSR_BREAK ? LSR_FIFO_ERROR : 0);
    this.lineErrors = 0;
    return value;
  }

  private readMsr(): number {
    const value = this.modemLines | this.modemDeltas;
    this.modemDeltas = 0;
    return value;
  }

  /** The highest-priority pending interrupt, as IIR bits 3:0. */
  private interruptCause(): number {
    if (this.ier & IER_LINE_STATUS && this.lineErrors & LSR_ERRORS) return IIR_LINE_STATUS;
    if (this.ier & IER_RX_DATA && this.rxFifo.length >= this.rxTrigger) return IIR_RX_DATA;
    if (this.ier & IER_RX_DATA && this.timeoutPending && this.rxFifo.length > 0) return IIR_CHAR_TIMEOUT;
    if (this.ier & IER_THRE && this.thrEmptyPending) return IIR_THRE;
    if (this.ier & IER_MODEM_STATUS && this.modemDeltas) return IIR_MODEM_STATUS;
    return IIR_NONE;
  }

  private refillFifo(): void {
    const capacity = this.fifoEnabled ? FIFO_SIZE : 1;
    let moved = false;
    while (this.rxFifo.length < capacity && this.waiting.length > 0) {
      this.rxFifo.push(this.waiting.shift()!);
      moved = true;
    }
    if (moved) this.restartTimeout();
  }

  /** The character timeout counts from the last FIFO activity while bytes wait below the trigger level. */
  private restartTimeout(): void {
    const belowTrigger = this.fifoEnabled && this.rxFifo.length > 0 && this.rxFifo.length < this.rxTrigger;
    this.timeoutDeadline = belowTrigger ? this.clock.tsc() + 4 * this.characterTime() : undefined;
  }

  private updateIrq(): void {
    const gated = (this.mcr & MCR_OUT2) !== 0 && !(this.mcr & MCR_LOOP);
    this.irq.set(gated && this.interruptCause() !== IIR_NONE);
  }
}
