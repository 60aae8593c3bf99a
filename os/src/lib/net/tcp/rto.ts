/*
 * The retransmission timeout from measured round-trip times (RFC 6298): smoothed RTT and
 * its variance, exponential back-off on expiry. The lower bound is 200 ms (as Linux; the
 * RFC's 1 s suits the Internet more than a link between components), the upper 60 s.
 */
export const RTO_INITIAL = 1000;
export const RTO_MIN = 200;
export const RTO_MAX = 60_000;
const CLOCK_GRANULARITY = 1;

export class RtoEstimator {
  private srtt: number | undefined;
  private rttvar = 0;
  private base = RTO_INITIAL;
  private backoff = 0;

  /** The current timeout including back-off. */
  get rto(): number {
    return Math.min(RTO_MAX, this.base * 2 ** this.backoff);
  }

  get smoothedRtt(): number | undefined {
    return this.srtt;
  }

  /** A new RTT sample (never from a retransmitted segment: Karn's algorithm). */
  sample(r: number): void {
    if (r < 0) return;
    if (this.srtt === undefined) {
      this.srtt = r;
      this.rttvar = r / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - r);
      this.srtt = 0.875 * this.srtt + 0.125 * r;
    }
    this.base = Math.min(RTO_MAX, Math.max(RTO_MIN, this.srtt + Math.max(CLOCK_GRANULARITY, 4 * this.rttvar)));
    this.backoff = 0;
  }

  /** The timer expired: double the timeout (RFC 6298 5.5). */
  expired(): void {
    if (this.rto < RTO_MAX) this.backoff++;
  }

  /** New data was acknowledged: the back-off ends. */
  acked(): void {
    this.backoff = 0;
  }
}
