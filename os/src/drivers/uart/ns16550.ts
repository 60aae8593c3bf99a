/*
 * A 16550A UART driven through an IO_PORT session for its eight registers: 8N1 at the
 * configured baud rate, FIFOs on, the receive and line-status interrupts enabled and
 * MCR.OUT2 set, which connects the UART's interrupt to the PC's interrupt line. The
 * interrupt handler reads IIR until no cause is left; sending polls LSR.THRE per byte.
 */
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';

export const UART_PORT_COUNT = 8;
const BASE_BAUD = 115200;

const RBR_THR = 0, IER = 1, IIR_FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
const LCR_DLAB = 0x80;
const LCR_8N1 = 0x03;
/** FIFOs on and cleared, receive trigger at 14 bytes (fewer arrive through the character timeout). */
const FCR_ENABLE_CLEAR_14 = 0xc7;
const MCR_DTR_RTS_OUT2 = 0x0b;
const IER_RX_AND_LINE = 0x05;
const IIR_NO_INTERRUPT = 0x01;
const IIR_CAUSE = 0x0e;
const CAUSE_LINE = 0x06;
const CAUSE_RX = 0x04;
const CAUSE_TIMEOUT = 0x0c;
const CAUSE_MODEM = 0x00;
const LSR_DR = 0x01;
const LSR_THRE = 0x20;

/** Bounds of the polling loops, so a broken device cannot hang the driver. */
const POLL_LIMIT = 10_000;
const CAUSE_LIMIT = 64;

export class UartError extends Error {
  override name = 'UartError';
}

export class Ns16550 {
  /** Bytes that could not be sent because THR never emptied. */
  lost = 0;

  constructor(private readonly io: IoPortSession, private readonly base: number) {}

  private out(reg: number, value: number): Promise<void> {
    return this.io.outb(this.base + reg, value);
  }

  private in(reg: number): Promise<number> {
    return this.io.inb(this.base + reg);
  }

  static divisor(baud: number): number {
    const d = BASE_BAUD / baud;
    if (!Number.isInteger(d) || d < 1 || d > 0xffff) throw new UartError(`baud rate ${baud} is not 115200 divided by 1..65535`);
    return d;
  }

  async init(baud: number): Promise<void> {
    const divisor = Ns16550.divisor(baud);
    /* the scratch register is plain storage: an absent UART reads back all ones */
    await this.out(SCR, 0x5a);
    if ((await this.in(SCR)) !== 0x5a) throw new UartError(`no UART at 0x${this.base.toString(16)}`);
    await this.out(IER, 0);
    await this.out(LCR, LCR_DLAB);
    await this.out(RBR_THR, divisor & 0xff);
    await this.out(IER, divisor >> 8);
    await this.out(LCR, LCR_8N1);
    await this.out(IIR_FCR, FCR_ENABLE_CLEAR_14);
    await this.out(MCR, MCR_DTR_RTS_OUT2);
    /* clear what may be pending from before */
    await this.in(LSR);
    await this.in(MSR);
    await this.in(IIR_FCR);
    await this.out(IER, IER_RX_AND_LINE);
  }

  /** Handles every pending interrupt cause, handing received bytes to `received`. */
  async interrupt(received: (byte: number) => void): Promise<void> {
    for (let i = 0; i < CAUSE_LIMIT; i++) {
      const iir = await this.in(IIR_FCR);
      if (iir & IIR_NO_INTERRUPT) return;
      switch (iir & IIR_CAUSE) {
        case CAUSE_RX:
        case CAUSE_TIMEOUT:
          for (let n = 0; n < POLL_LIMIT && (await this.in(LSR)) & LSR_DR; n++) received(await this.in(RBR_THR));
          break;
        case CAUSE_LINE: await this.in(LSR); break;
        case CAUSE_MODEM: await this.in(MSR); break;
        default: break; // THRE is acknowledged by reading IIR
      }
    }
  }

  async write(bytes: Uint8Array): Promise<void> {
    for (const b of bytes) {
      let ready = false;
      for (let n = 0; n < POLL_LIMIT && !ready; n++) ready = ((await this.in(LSR)) & LSR_THRE) !== 0;
      if (!ready) {
        this.lost++;
        continue;
      }
      await this.out(RBR_THR, b);
    }
  }
}
