/*
 * The link between the i8042 and a device on one of its PS/2 ports: the device receives
 * host bytes and queues its own bytes until the controller has room in its output buffer.
 */

/** A device on a PS/2 port: receives host bytes, queues bytes for the controller. */
export abstract class Ps2Device {
  /** Bytes waiting for the controller. A real device buffers a few; this caps at `capacity`. */
  private readonly output: number[] = [];
  private wake: () => void = () => {};

  constructor(private readonly capacity = 256) {}

  /** Called by the controller it is plugged into. */
  attach(wake: () => void): void {
    this.wake = wake;
  }

  /** A byte the host sent to the device. */
  abstract receive(byte: number): void;

  hasOutput(): boolean {
    return this.output.length > 0;
  }

  takeOutput(): number | undefined {
    return this.output.shift();
  }

  /** Queue a message (all of it or, if the buffer is full, none of it) and tell the controller. */
  protected send(...bytes: number[]): void {
    if (this.output.length + bytes.length > this.capacity) return;
    this.output.push(...bytes.map((b) => b & 0xff));
    this.wake();
  }

  protected clearOutput(): void {
    this.output.length = 0;
  }
}
