/*
 * A PS/2 mouse on the i8042's auxiliary port (the host reaches it with the 0xD4 prefix).
 * Plain 3-byte packets by default; the IntelliMouse knock sequences (sample rates
 * 200,100,80 and 200,200,80) switch to 4-byte packets with a wheel (id 3) and buttons 4/5 (id 4).
 *
 * Injection API (for tests and the web display):
 *   move(dx, dy)   dx > 0 = right, dy > 0 = DOWN (screen convention; the packet's +Y is up)
 *   buttons(mask)  bit 0 left, bit 1 right, bit 2 middle, bit 3 back, bit 4 forward
 *                  (the same bits as DOM MouseEvent.buttons)
 *   wheel(dz)      dz > 0 = scrolled down / towards the user (the sign of DOM WheelEvent.deltaY)
 */

import { Ps2Device } from './ps2_device.js';

const ACK = 0xfa;
const RESEND = 0xfe;

const STANDARD_ID = 0x00;
const WHEEL_ID = 0x03;
const FIVE_BUTTON_ID = 0x04;

/** 2:1 scaling of a movement count (stream mode only). */
function scaled(count: number): number {
  const magnitude = Math.abs(count);
  const table = [0, 1, 1, 3, 6, 9];
  const result = magnitude < table.length ? table[magnitude] : magnitude * 2;
  return Math.sign(count) * result;
}

export class Ps2Mouse extends Ps2Device {
  id = STANDARD_ID;
  reporting = false;
  remoteMode = false;
  wrapMode = false;
  sampleRate = 100;
  resolution = 2;
  scaling2to1 = false;

  private pressed = 0;
  private pendingDx = 0; // accumulated for remote mode (read with 0xEB)
  private pendingDy = 0;
  private awaitingParameter: number | undefined;
  private recentRates: number[] = [];
  private lastSent = 0;

  /** Relative motion; large moves are split into several packets so none is lost. */
  move(dx: number, dy: number): void {
    dx = Math.trunc(dx);
    let up = -Math.trunc(dy);
    if (this.remoteMode) {
      this.pendingDx += dx;
      this.pendingDy += up;
      return;
    }
    if (!this.reporting || (dx === 0 && up === 0)) return;
    if (this.scaling2to1) {
      dx = scaled(dx);
      up = scaled(up);
    }
    do {
      const stepX = Math.max(-255, Math.min(255, dx));
      const stepY = Math.max(-255, Math.min(255, up));
      this.packet(stepX, stepY, 0);
      dx -= stepX;
      up -= stepY;
    } while (dx !== 0 || up !== 0);
  }

  /** The set of pressed buttons changed. */
  buttons(mask: number): void {
    mask &= 0x1f;
    if (mask === this.pressed) return;
    this.pressed = mask;
    if (this.reporting && !this.remoteMode) this.packet(0, 0, 0);
  }

  /** Wheel motion; only reported once the host has switched the mouse to id 3 or 4. */
  wheel(dz: number): void {
    dz = Math.trunc(dz);
    if (dz === 0 || this.id === STANDARD_ID || !this.reporting || this.remoteMode) return;
    const limit = this.id === WHEEL_ID ? 127 : 7;
    while (dz !== 0) {
      const step = Math.max(-limit - 1, Math.min(limit, dz));
      this.packet(0, 0, step);
      dz -= step;
    }
  }

  receive(byte: number): void {
    if (this.wrapMode && byte !== 0xec && byte !== 0xff) {
      this.send(byte); // wrap (echo) mode
      return;
    }
    const command = this.awaitingParameter;
    if (command !== undefined) {
      this.awaitingParameter = undefined;
      this.parameter(command, byte);
      return;
    }
    this.command(byte);
  }

  protected override send(...bytes: number[]): void {
    if (bytes.length > 0) this.lastSent = bytes[bytes.length - 1];
    super.send(...bytes);
  }

  private command(byte: number): void {
    switch (byte) {
      case 0xff: // reset
        this.clearOutput();
        this.defaults();
        this.id = STANDARD_ID;
        this.wrapMode = false;
        this.remoteMode = false;
        this.send(ACK, 0xaa, this.id);
        return;
      case RESEND: this.send(this.lastSent); return;
      case 0xf6: this.defaults(); this.send(ACK); return;
      case 0xf5: this.reporting = false; this.send(ACK); return;
      case 0xf4: this.reporting = true; this.send(ACK); return;
      case 0xf3: case 0xe8: // sample rate, resolution: a parameter follows
        this.awaitingParameter = byte;
        this.send(ACK);
        return;
      case 0xf2: this.send(ACK, this.id); return;
      case 0xf0: this.remoteMode = true; this.send(ACK); return;
      case 0xee: this.wrapMode = true; this.send(ACK); return;
      case 0xec: this.wrapMode = false; this.send(ACK); return;
      case 0xeb: // read data (remote mode poll); too much motion shows as the overflow bits
        this.send(ACK);
        this.packet(this.pendingDx, this.pendingDy, 0);
        this.pendingDx = 0;
        this.pendingDy = 0;
        return;
      case 0xea: this.remoteMode = false; this.send(ACK); return;
      case 0xe9: // status request
        this.send(ACK, this.statusByte(), this.resolution, this.sampleRate);
        return;
      case 0xe7: this.scaling2to1 = true; this.send(ACK); return;
      case 0xe6: this.scaling2to1 = false; this.send(ACK); return;
      default: this.send(RESEND);
    }
  }

  private parameter(command: number, value: number): void {
    if (command === 0xe8) {
      this.resolution = value & 3;
      this.send(ACK);
      return;
    }
    this.sampleRate = value;
    this.recentRates = [...this.recentRates, value].slice(-3);
    const knock = this.recentRates.join(',');
    if (knock === '200,100,80') this.id = WHEEL_ID;
    else if (knock === '200,200,80') this.id = FIVE_BUTTON_ID;
    this.send(ACK);
  }

  private defaults(): void {
    this.sampleRate = 100;
    this.resolution = 2;
    this.scaling2to1 = false;
    this.reporting = false;
    this.recentRates = [];
  }

  private statusByte(): number {
    const left = this.pressed & 1;
    const right = (this.pressed >> 1) & 1;
    const middle = (this.pressed >> 2) & 1;
    return (this.remoteMode ? 0x40 : 0) | (this.reporting ? 0x20 : 0) | (this.scaling2to1 ? 0x10 : 0) |
      (left << 2) | (middle << 1) | right;
  }

  /** One movement packet; dx and dy are 9-bit two's complement (sign in byte 0), +Y up. */
  private packet(dx: number, dy: number, dz: number): void {
    const overflowX = dx < -256 || dx > 255;
    const overflowY = dy < -256 || dy > 255;
    dx = Math.max(-256, Math.min(255, dx));
    dy = Math.max(-256, Math.min(255, dy));
    const head = (this.pressed & 0x07) | 0x08 | (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0) |
      (overflowX ? 0x40 : 0) | (overflowY ? 0x80 : 0);
    const bytes = [head, dx & 0xff, dy & 0xff];
    if (this.id === WHEEL_ID) bytes.push(dz & 0xff);
    else if (this.id === FIVE_BUTTON_ID) bytes.push((dz & 0x0f) | ((this.pressed & 0x18) << 1));
    this.send(...bytes);
  }
}
