/*
 * Counts a kernel's operations and the cycles they cost (a generic utility: each emulated
 * kernel has its own list of operations and its own prices). Operations are charged by
 * index, since this is on every system-call path.
 */
export class OperationCounter<Op extends string> {
  /*
   * Float64Arrays: in the locked-down realm a store into an array costs several times one
   * into a typed array (base/src/loader/fast_paths.ts), and this is on every system-call path.
   */
  private readonly counts: Float64Array;
  private readonly prices: Float64Array;
  /** Cycles charged but not yet handed to the machine clock. */
  pending = 0;
  /** Cycles of user-level code (metered ticks), next to the kernel's own. */
  userCycles = 0;

  constructor(private readonly ops: readonly Op[], readonly costs: Readonly<Record<Op, number>>) {
    this.counts = new Float64Array(ops.length);
    this.prices = Float64Array.from(ops, (op) => costs[op]);
  }

  /** Counts `n` of operation number `op` (its index in the list) and charges their cycles. */
  charge(op: number, n = 1): void {
    this.counts[op]! += n;
    this.pending += this.prices[op]! * n;
  }

  /** Charges `cycles` of user-level code. */
  chargeUser(cycles: number): void {
    this.userCycles += cycles;
    this.pending += cycles;
  }

  count(op: Op): number {
    return this.counts[this.ops.indexOf(op)]!;
  }

  snapshot(): Record<Op, number> {
    return Object.fromEntries(this.ops.map((op, i) => [op, this.counts[i]!])) as Record<Op, number>;
  }
}
