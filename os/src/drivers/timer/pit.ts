/*
 * The 8253/8254 PIT as the timer driver uses it (Genode's pit timer): channel 0 in mode 0
 * ("interrupt on terminal count") as a one-shot, re-armed for every next deadline, and the
 * time kept by counting the PIT's ticks.
 *
 * Time is read with the read-back command, which latches the status (with OUT) and the
 * count together: while OUT is low the channel has counted `armed - count` ticks; once OUT
 * went high it passed the terminal count and keeps wrapping from 0xFFFF, which is still
 * unambiguous for 65536 ticks. A one-shot is therefore never longer than MAX_COUNT, so the
 * driver reads the counter at least once per wrap. Ticks that pass between the last read
 * and loading a new count are not seen (a few microseconds per re-arm), as with Genode's
 * driver; re-arming only when needed keeps that small. A wake-up costs six port accesses
 * (the read-back and a new count), each an RPC to core's I/O-port service.
 */
import type { IoPortSession } from '../../../../base/src/session/io_port/session.js';
import { cyclesToTicks, ticksToCycles } from '../../../../base/src/util/clock_ratio.js';
import type { TimeSource } from './driver.js';

export const PIT_HZ = 1_193_182;
export const PIT_PORT_BASE = 0x40;
export const PIT_PORT_COUNT = 4;
/** IRQ of channel 0's OUT line on the PC. */
export const PIT_IRQ = 0;
/** The longest one-shot: below 0x10000 so a count of 0 is never needed. */
export const MAX_COUNT = 0xffff;
/** Shorter counts are raised to this, so OUT is still low when the count is read back. */
const MIN_COUNT = 2;

const CHANNEL0 = 0x40;
const MODE_COMMAND = 0x43;
/** Channel 0, low byte then high byte, mode 0, binary. */
const CONTROL_ONE_SHOT = 0x30;
/** Read-back: latch count (bit 5 = 0) and status (bit 4 = 0) of channel 0 (bit 1). */
const READ_BACK_CH0 = 0xc2;
const STATUS_OUT = 0x80;
const STATUS_NULL_COUNT = 0x40;

/** Whole microseconds in `ticks` PIT ticks, exact for any tick count below 2^53. */
export function ticksToUs(ticks: number): number {
  return cyclesToTicks(ticks, PIT_HZ, 1_000_000);
}

/** The PIT ticks that cover at least `us` microseconds. */
export function usToTicks(us: number): number {
  return ticksToCycles(us, PIT_HZ, 1_000_000);
}

export type PitPorts = Pick<IoPortSession, 'inb' | 'outb'>;

export class PitTimer implements TimeSource {
  /** Ticks counted up to the last read. */
  private ticks = 0;
  /** The count loaded by the last arm. */
  private armed = MAX_COUNT;
  /** Ticks of the current count that were already added to `ticks`. */
  private seen = 0;

  constructor(private readonly io: PitPorts) {}

  /** Starts counting; time 0 is now. */
  async start(): Promise<void> {
    await this.load(MAX_COUNT);
    this.ticks = 0;
  }

  /** The ticks since the count was loaded, from one latched status and count. */
  private async countedSinceLoad(): Promise<number> {
    await this.io.outb(MODE_COMMAND, READ_BACK_CH0);
    const status = await this.io.inb(CHANNEL0);
    const lo = await this.io.inb(CHANNEL0);
    const hi = await this.io.inb(CHANNEL0);
    if (status & STATUS_NULL_COUNT) return 0; // the count is not in the counter yet
    const count = lo | (hi << 8);
    if (!(status & STATUS_OUT)) return this.armed - count;
    return this.armed + ((0x10000 - count) & 0xffff);
  }

  /** Brings the tick count up to date and returns it. */
  async now(): Promise<number> {
    const counted = await this.countedSinceLoad();
    if (counted > this.seen) {
      this.ticks += counted - this.seen;
      this.seen = counted;
    }
    return this.ticks;
  }

  async nowUs(): Promise<number> {
    return ticksToUs(await this.now());
  }

  /**
   * Interrupts once, `us` microseconds from now (at most MAX_COUNT ticks ahead); returns the
   * ticks armed. The caller has just brought the tick count up to date (`now`): the ticks
   * between that read and the load are not counted, so nothing slow may come in between.
   */
  async arm(us: number): Promise<number> {
    const count = Math.max(MIN_COUNT, Math.min(MAX_COUNT, usToTicks(Math.max(0, us))));
    await this.load(count);
    return count;
  }

  /** Whether channel 0 is in mode 0 with low-then-high byte access already. */
  private programmed = false;

  /**
   * In mode 0 a new count alone restarts the one-shot (it drives OUT low and counts from
   * the new value), so the control word goes out only once: a wake-up costs two port
   * writes instead of three.
   */
  private async load(count: number): Promise<void> {
    if (!this.programmed) await this.io.outb(MODE_COMMAND, CONTROL_ONE_SHOT);
    this.programmed = true;
    await this.io.outb(CHANNEL0, count & 0xff);
    await this.io.outb(CHANNEL0, count >> 8);
    this.armed = count;
    this.seen = 0;
  }

  async armUs(us: number): Promise<number> {
    return ticksToUs(await this.arm(us));
  }

  /** The longest one-shot in microseconds. */
  readonly maxUs = ticksToUs(MAX_COUNT);
}
