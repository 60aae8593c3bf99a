/*
 * When init reports its state (Genode's State_reporter): a change triggers a report after
 * <report delay_ms> (default 100 ms, through a Timer session from init's parent, as in
 * Genode), collecting the changes in between into one report; delay_ms="0" reports at
 * once. The report goes to a Report session labelled "state", whose buffer grows when a
 * report outgrows it.
 */
import type { Env } from '../../../base/src/lib/env.js';
import { describeError } from '../lib/log.js';
import { ReportConnection } from '../session/report/connection.js';
import { TimerConnection } from '../session/timer/connection.js';
import type { ReportDetail } from './state_report.js';

const encoder = new TextEncoder();

/** Largest state report init writes (its Report buffer stops growing here). */
const REPORT_MAX = 1024 * 1024;

export class StateReporter {
  private detail: ReportDetail | undefined;
  private report: ReportConnection | undefined;
  private timer: TimerConnection | undefined;
  private scheduled = false;
  /** A report is being made: a change meanwhile schedules another one. */
  private busy = false;
  private again = false;
  private broken = false;

  constructor(
    private readonly env: Env,
    private readonly log: (text: string) => void,
    private readonly produce: (detail: ReportDetail) => Promise<string>,
  ) {}

  /** The <report> node of a new config (undefined: none, no more reports). */
  async apply(detail: ReportDetail | undefined): Promise<void> {
    this.detail = detail;
    this.broken = false;
    if (!detail) return;
    if (detail.delayMs > 0 && !this.timer) {
      try {
        this.timer = await TimerConnection.open(this.env);
      } catch (e) {
        this.log(`Error: <report delay_ms="${detail.delayMs}">: no Timer session for the delay (${describeError(e)}); reporting at once`);
      }
    }
    this.trigger();
  }

  /** Something in init's state changed. */
  trigger(): void {
    if (!this.detail || this.broken) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    if (this.scheduled) return;
    this.scheduled = true;
    const delay = this.timer ? this.detail.delayMs : 0;
    const wait = delay > 0 ? this.timer!.msleep(delay) : Promise.resolve();
    void wait.then(() => this.write());
  }

  private async write(): Promise<void> {
    this.scheduled = false;
    const detail = this.detail;
    if (!detail) return;
    this.busy = true;
    try {
      const text = await this.produce(detail);
      await this.submit(text);
    } catch (e) {
      this.broken = true;
      this.log(`Error: state report: ${describeError(e)}; no further reports until the next config`);
    } finally {
      this.busy = false;
    }
    if (this.again) {
      this.again = false;
      this.trigger();
    }
  }

  private async submit(text: string): Promise<void> {
    const bytes = encoder.encode(text);
    if (bytes.length > REPORT_MAX) throw new Error(`the report has ${bytes.length} bytes, more than ${REPORT_MAX}`);
    if (this.report && bytes.length > this.report.capacity) {
      await this.report.close();
      this.report = undefined;
    }
    if (!this.report) {
      let size = 4096;
      while (size < bytes.length) size *= 2;
      this.report = await ReportConnection.open(this.env, 'state', size);
    }
    await this.report.submit(bytes);
  }
}
