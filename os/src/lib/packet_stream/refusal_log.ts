/*
 * What a packet-stream server says about a session's misbehaviour, without letting a hostile
 * client flood the log: the first refusals are logged one by one, after that only summaries
 * at powers of two. Lines are collected while a batch runs (it must not wait for the LOG
 * session between packets) and written by `flush`.
 */
import type { Log } from '../log.js';

export class RefusalLog {
  private refusals = 0;
  private lines: string[] = [];
  private lastProblem: string | undefined;

  /** `label`: the session's, named in every line; `logged`: refusals logged one by one. */
  constructor(private readonly label: string, private readonly logged: number) {}

  get count(): number {
    return this.refusals;
  }

  refuse(what: string): void {
    this.refusals++;
    if (this.refusals <= this.logged) this.lines.push(`Warning: "${this.label}": refused ${what}`);
    else if ((this.refusals & (this.refusals - 1)) === 0) this.lines.push(`Warning: "${this.label}": ${this.refusals} refusals so far`);
  }

  /** A warning that is not a refusal (a frame the device could not send, say). */
  warn(what: string): void {
    this.lines.push(`Warning: "${this.label}": ${what}`);
  }

  /** Tells when the client's queues (`stream` names them) become unusable, and usable again. */
  queueState(problem: string | undefined, stream = 'stream'): void {
    if (problem === this.lastProblem) return;
    if (problem) this.lines.push(`Warning: "${this.label}": ${stream} stalled: ${problem}`);
    else this.lines.push(`"${this.label}": ${stream} usable again`);
    this.lastProblem = problem;
  }

  /** Writes what was collected (and what is added meanwhile). */
  async flush(log: Log): Promise<void> {
    while (this.lines.length > 0) {
      const lines = this.lines;
      this.lines = [];
      for (const l of lines) await log(l);
    }
  }
}
