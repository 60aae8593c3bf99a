/*
 * The kernel's side of a component's CPU meter: how many ticks the component's code ran
 * since the kernel last asked (charged as user time), and the watchdog that stops a
 * component that keeps the CPU without ever letting the host run (an endless loop, or an
 * endless chain of promise continuations that never enters the kernel).
 *
 * A stopped component's meter throws on every further tick, so its code cannot go on
 * even where it catches the error.
 */
import { CHUNK } from './meter.js';

/** Counts the host's event-loop turns (armed only while some meter is running). */
class HostTurns {
  current = 0;
  private armed = false;

  arm(): void {
    if (this.armed) return;
    this.armed = true;
    setImmediate(() => {
      this.armed = false;
      this.current++;
    });
  }
}

const turns = new HostTurns();

/** What one tick (a function entry or loop iteration) costs the emulated CPU, in cycles. */
export const CYCLES_PER_TICK = 20;

export class CpuExhausted extends RangeError {
  override name = 'CpuExhausted';
}

export class Meter {
  private drainProgram: (() => number) | undefined;
  private lastCheck = 0;
  private runtimeTicks = 0;
  private runtimeChunk = 0;
  private turnSeen = -1;
  private sinceTurn = 0;
  /** Why the component was stopped, once it was. */
  stopped: Error | undefined;

  /**
   * `runawayTicks`: how long the component may run without the host getting a turn;
   * `onRunaway` is told (from a microtask) when it ran longer.
   */
  constructor(readonly runawayTicks: number, private readonly onRunaway: (e: CpuExhausted) => void) {}

  /** Called once by the program's prologue: how the kernel reads the program's counter. */
  attach(drain: () => number): void {
    if (this.drainProgram) throw new Error('meter already attached');
    this.drainProgram = drain;
  }

  /** Ticks run since the last drain. */
  drain(): number {
    const n = (this.drainProgram ? this.drainProgram() : 0) + this.runtimeTicks;
    this.runtimeTicks = 0;
    return n;
  }

  /** The program's trap, every CHUNK ticks: `total` ticks so far. Returns the next chunk. */
  check(total: number): number {
    const inc = total - this.lastCheck;
    this.lastCheck = total;
    this.spend(inc);
    return CHUNK;
  }

  /** One tick of code made at run time (eval, Function). */
  tickOne(): void {
    if (this.stopped) throw this.stopped;
    this.runtimeTicks++;
    if (++this.runtimeChunk < CHUNK) return;
    this.runtimeChunk = 0;
    this.spend(CHUNK);
  }

  /**
   * `n` ticks of work the program's own counter does not see (the Lua VM's instructions,
   * base/src/loader/lua_vm.ts, charged from its count hook).
   */
  charge(n: number): void {
    if (this.stopped) throw this.stopped;
    this.runtimeTicks += n;
    this.runtimeChunk += n;
    while (this.runtimeChunk >= CHUNK) {
      this.runtimeChunk -= CHUNK;
      this.spend(CHUNK);
    }
  }

  /** Stops the component: every further tick throws `reason`. */
  stop(reason: Error): void {
    this.stopped ??= reason;
  }

  private spend(ticks: number): void {
    if (this.stopped) throw this.stopped;
    if (turns.current !== this.turnSeen) {
      this.turnSeen = turns.current;
      this.sinceTurn = 0;
    }
    this.sinceTurn += ticks;
    turns.arm();
    if (this.sinceTurn <= this.runawayTicks) return;
    const e = new CpuExhausted(`ran more than ${this.runawayTicks} ticks without returning to the kernel`);
    this.stopped = e;
    queueMicrotask(() => this.onRunaway(e));
    throw e;
  }
}
