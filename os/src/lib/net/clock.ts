/*
 * Time for the TCP/IP stack (retransmission, ARP and DHCP timeouts, TIME_WAIT): a Timer
 * session in components (TimerClock in the stack's glue), a fake clock in unit tests.
 * Components have no host timers; everything time-driven in the stack goes through this.
 */
export interface NetClock {
  /** Milliseconds since some fixed start, monotonic. */
  now(): number;
  /** Calls `fn` once, `ms` from now; returns a handle for `cancel`. */
  after(ms: number, fn: () => void): number;
  cancel(handle: number): void;
}
