/*
 * The 8253/8254 programmable interval timer (ports 0x40-0x43) and the PC's system control
 * port B (0x61), which gates PIT channel 2 and shows its output.
 *
 * The counters are not stepped: each channel remembers the PIT tick at which it started
 * counting and computes its count and OUT level from the elapsed ticks on demand. The PIT
 * clock is derived from the TSC (1 193 182 Hz), so everything is a pure function of the
 * virtual time. Channel 0's OUT drives IRQ0; channel 2's OUT is readable in port 0x61 bit 5.
 */

import type { IoWidth, IrqLine, PortHandler } from './io.js';
import { cyclesToTicks, ticksToCycles, type TimedDevice, type Tsc } from './tsc.js';

export const PIT_HZ = 1_193_182;

/**
 * idle: control word written, no count yet. waiting: count loaded, modes 1/5 wait for a gate
 * trigger. counting: running since `origin`. paused: gate low (modes 0/4 stop, modes 2/3 also
 * force OUT high and reload on the next rising gate).
 */
type Phase = 'idle' | 'waiting' | 'counting' | 'paused';

function fromBcd(value: number): number {
  return ((value >> 12) & 0xf) * 1000 + ((value >> 8) & 0xf) * 100 + ((value >> 4) & 0xf) * 10 + (value & 0xf);
}

function toBcd(value: number): number {
  return (Math.floor(value / 1000) % 10) << 12 | (Math.floor(value / 100) % 10) << 8 | (Math.floor(value / 10) % 10) << 4 | value % 10;
}

export class PitChannel {
  mode = 0;
  /** 1 = LSB only, 2 = MSB only, 3 = LSB then MSB. */
  access = 3;
  bcd = false;
  /** The reload value N in counts (1..65536, or 1..10000 in BCD; a written 0 means the maximum). */
  reload = 0x10000;
  gate: boolean;
  phase: Phase = 'idle';
  /** Set from the control word until the count has been loaded into the counter. */
  nullCount = true;

  private origin = 0; // PIT tick at which elapsed time was 0
  private frozen = 0; // elapsed ticks while paused
  private idleCount = 0; // what a read returns before a count is written
  private idleOut = true; // OUT before a count is written: high at power-on, low after a mode-0 control word
  private writeMsbNext = false;
  private pendingLsb = 0;
  private readMsbNext = false;
  private countLatch: number[] = [];
  private statusLatch: number | undefined;

  constructor(gate: boolean) {
    this.gate = gate;
  }

  private get modulus(): number {
    return this.bcd ? 10000 : 0x10000;
  }

  /** Ticks counted since the count was loaded or the channel triggered; undefined if not started. */
  elapsed(now: number): number | undefined {
    if (this.phase === 'counting') return now - this.origin;
    if (this.phase === 'paused') return this.frozen;
    return undefined;
  }

  out(now: number): boolean {
    switch (this.phase) {
      case 'idle': return this.idleOut;
      case 'waiting': return true;
      case 'paused': return this.mode === 2 || this.mode === 3 ? true : this.outAt(this.frozen);
      case 'counting': return this.outAt(now - this.origin);
    }
  }

  count(now: number): number {
    const t = this.elapsed(now);
    if (this.phase === 'idle') return this.idleCount;
    if (t === undefined) return this.reload % this.modulus;
    return this.countAt(t);
  }

  /** OUT after `t` ticks of counting. */
  private outAt(t: number): boolean {
    const n = this.reload;
    switch (this.mode) {
      case 0: case 1: return t >= n; // low until terminal count, then high for good
      case 2: return t % n !== n - 1; // low for the one tick before each reload
      case 3: return t % n < Math.ceil(n / 2); // high for the first half of each period
      default: return t !== n; // modes 4, 5: one low strobe at terminal count
    }
  }

  private countAt(t: number): number {
    const n = this.reload;
    const m = this.modulus;
    switch (this.mode) {
      case 2: return (n - (t % n)) % m;
      case 3: {
        // Counts down by two, twice per period (once per half of the square wave).
        const phase = t % n;
        const high = Math.ceil(n / 2);
        return (n - 2 * (phase < high ? phase : phase - high)) % m;
      }
      default: return (((n - t) % m) + m) % m; // modes 0, 1, 4, 5 keep wrapping after terminal count
    }
  }

  /** Elapsed-time coordinate of the first rising edge of OUT strictly after `t`, if any. */
  nextRisingEdge(t: number): number | undefined {
    const n = this.reload;
    switch (this.mode) {
      case 0: case 1: return t < n ? n : undefined;
      case 2: case 3: return n > 1 ? (Math.floor(t / n) + 1) * n : undefined;
      default: return t < n + 1 ? n + 1 : undefined;
    }
  }

  /** Absolute PIT tick of the first rising edge after tick `now`, if the channel is counting. */
  nextRisingEdgeTick(now: number): number | undefined {
    if (this.phase !== 'counting') return undefined;
    const edge = this.nextRisingEdge(now - this.origin);
    return edge === undefined ? undefined : this.origin + edge;
  }

  control(value: number, now: number): void {
    this.idleCount = this.count(now);
    this.access = (value >> 4) & 3;
    const mode = (value >> 1) & 7;
    this.mode = mode > 5 ? mode - 4 : mode; // 6 and 7 alias 2 and 3
    this.bcd = (value & 1) !== 0;
    this.phase = 'idle';
    this.idleOut = this.mode !== 0;
    this.nullCount = true;
    this.writeMsbNext = false;
    this.readMsbNext = false;
    this.countLatch = [];
    this.statusLatch = undefined;
  }

  writeCount(byte: number, now: number): void {
    let value: number;
    if (this.access === 1) value = byte;
    else if (this.access === 2) value = byte << 8;
    else if (!this.writeMsbNext) {
      this.pendingLsb = byte;
      this.writeMsbNext = true;
      return;
    } else {
      value = this.pendingLsb | (byte << 8);
      this.writeMsbNext = false;
    }
    const n = this.bcd ? fromBcd(value) : value;
    this.reload = n === 0 ? this.modulus : n;
    this.load(now);
  }

  /** The last byte of a count arrived: (re)start counting, as QEMU does, or wait for a trigger. */
  private load(now: number): void {
    if (this.mode === 1 || this.mode === 5) {
      this.phase = 'waiting';
      return; // nullCount stays set until the trigger loads the counter
    }
    this.nullCount = false;
    if (this.gate) {
      this.phase = 'counting';
      this.origin = now;
    } else {
      this.phase = 'paused';
      this.frozen = 0;
    }
  }

  setGate(level: boolean, now: number): void {
    if (level === this.gate) return;
    this.gate = level;
    switch (this.mode) {
      case 0: case 4: // the gate enables counting
        if (!level && this.phase === 'counting') {
          this.frozen = now - this.origin;
          this.phase = 'paused';
        } else if (level && this.phase === 'paused') {
          this.origin = now - this.frozen;
          this.phase = 'counting';
        }
        break;
      case 2: case 3: // low stops the counter (OUT high), a rising edge reloads it
        if (!level && this.phase === 'counting') {
          this.frozen = now - this.origin;
          this.phase = 'paused';
        } else if (level && this.phase === 'paused') {
          this.origin = now;
          this.phase = 'counting';
        }
        break;
      default: // modes 1 and 5: a rising edge triggers (or retriggers) the count
        if (level && this.phase !== 'idle') {
          this.origin = now;
          this.phase = 'counting';
          this.nullCount = false;
        }
    }
  }

  latchCount(now: number): void {
    if (this.countLatch.length > 0) return; // a second latch before the read is ignored
    const c = this.encoded(now);
    this.countLatch = this.access === 1 ? [c & 0xff] : this.access === 2 ? [c >> 8] : [c & 0xff, c >> 8];
  }

  latchStatus(now: number): void {
    if (this.statusLatch !== undefined) return;
    this.statusLatch = (this.out(now) ? 0x80 : 0) | (this.nullCount ? 0x40 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  readCount(now: number): number {
    if (this.statusLatch !== undefined) {
      const status = this.statusLatch;
      this.statusLatch = undefined;
      return status;
    }
    if (this.countLatch.length > 0) return this.countLatch.shift()!;
    const c = this.encoded(now);
    if (this.access === 1) return c & 0xff;
    if (this.access === 2) return c >> 8;
    const msb = this.readMsbNext;
    this.readMsbNext = !msb;
    return msb ? c >> 8 : c & 0xff;
  }

  private encoded(now: number): number {
    const c = this.count(now);
    return this.bcd ? toBcd(c) : c;
  }
}

export class Pit implements PortHandler, TimedDevice {
  /** Channels 0-2. The gates of channels 0 and 1 are tied high; channel 2's is port 0x61 bit 0. */
  readonly channels = [new PitChannel(true), new PitChannel(true), new PitChannel(false)];
  /** Port 0x61 bits 1-3 (speaker data enable, parity and channel-check enables). */
  private portBLatch = 0;
  private syncedTick = 0;

  constructor(private readonly clock: Tsc, private readonly irq0: IrqLine) {
    irq0.set(this.channels[0].out(0)); // OUT0 is high at power-on
  }

  /** The current PIT tick: 1 193 182 per second of TSC time. */
  tick(tsc: number = this.clock.tsc()): number {
    return cyclesToTicks(tsc, this.clock.tscHz, PIT_HZ);
  }

  sync(tsc: number): void {
    const now = this.tick(tsc);
    const edge = this.channels[0].nextRisingEdgeTick(this.syncedTick);
    // OUT0 may have pulsed several times since the last sync; the PIC latches one edge anyway.
    if (edge !== undefined && edge <= now) {
      this.irq0.set(false);
      this.irq0.set(true);
    }
    this.syncedTick = now;
    this.irq0.set(this.channels[0].out(now));
  }

  nextEventAt(): number | undefined {
    const edge = this.channels[0].nextRisingEdgeTick(this.syncedTick);
    return edge === undefined ? undefined : ticksToCycles(edge, this.clock.tscHz, PIT_HZ);
  }

  inPort(port: number, _width: IoWidth): number {
    const now = this.catchUp();
    if (port >= 0x40 && port <= 0x42) return this.channels[port - 0x40].readCount(now);
    if (port === 0x61) return this.readPortB(now);
    return 0; // 0x43 is write-only
  }

  outPort(port: number, _width: IoWidth, value: number): void {
    const now = this.catchUp();
    value &= 0xff;
    if (port >= 0x40 && port <= 0x42) this.channels[port - 0x40].writeCount(value, now);
    else if (port === 0x43) this.writeControl(value, now);
    else if (port === 0x61) this.writePortB(value, now);
    this.irq0.set(this.channels[0].out(now)); // reprogramming may move OUT0 (e.g. mode 0 drives it low)
  }

  /** Speaker tone in Hz if channel 2 is gated, in mode 3 and connected to the speaker; else 0. */
  speakerFrequency(): number {
    const ch2 = this.channels[2];
    const connected = (this.portBLatch & 0x02) !== 0 && ch2.gate && ch2.mode === 3 && ch2.phase === 'counting';
    return connected ? PIT_HZ / ch2.reload : 0;
  }

  private catchUp(): number {
    this.sync(this.clock.tsc());
    return this.syncedTick;
  }

  private writeControl(value: number, now: number): void {
    const select = value >> 6;
    if (select === 3) {
      // Read-back: bit 5 clear latches counts, bit 4 clear latches status, bits 1-3 pick channels.
      for (let i = 0; i < 3; i++) {
        if (!(value & (2 << i))) continue;
        if (!(value & 0x20)) this.channels[i].latchCount(now);
        if (!(value & 0x10)) this.channels[i].latchStatus(now);
      }
      return;
    }
    const channel = this.channels[select];
    if ((value & 0x30) === 0) channel.latchCount(now);
    else channel.control(value, now);
  }

  private readPortB(now: number): number {
    const ch2 = this.channels[2];
    // DRAM refresh toggles every 15.085 us, i.e. every 18 PIT ticks.
    const refresh = Math.floor(now / 18) & 1;
    return (ch2.gate ? 0x01 : 0) | (this.portBLatch & 0x0e) | (refresh << 4) | (ch2.out(now) ? 0x20 : 0);
  }

  private writePortB(value: number, now: number): void {
    this.portBLatch = value & 0x0e;
    this.channels[2].setGate((value & 0x01) !== 0, now);
  }
}
