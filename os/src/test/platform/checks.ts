/*
 * The platform tests' checks: each logs "ok" or a failure line and counts the failures;
 * `denied` expects a call to be refused with the given error class.
 */
import { ServiceDenied, type ErrorClass } from '../../../../base/src/errors.js';
import { describeError, type Log } from '../../lib/log.js';

export class Checks {
  failures = 0;

  constructor(private readonly log: Log) {}

  readonly check = async (what: string, ok: boolean): Promise<void> => {
    if (!ok) this.failures++;
    await this.log(`${what}: ${ok ? 'ok' : 'Error: check failed'}`);
  };

  readonly denied = async (what: string, fn: () => Promise<unknown>, expected: ErrorClass = ServiceDenied): Promise<void> => {
    try {
      await fn();
      await this.check(`${what} refused`, false);
    } catch (e) {
      await this.check(`${what} refused (${describeError(e)})`, e instanceof expected);
    }
  };
}
