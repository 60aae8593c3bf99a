/* A client of test-init_driver: checkpoints that wait for the init's report. */
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { InitDriverControl } from './session.js';

export class InitDriver {
  private next: (() => void) | undefined;

  private constructor(private readonly control: InitDriverControl) {}

  static async open(env: Env): Promise<InitDriver> {
    const driver = new InitDriver((await Connection.open(env, InitDriverControl)).session);
    await driver.control.sigh((await env.signalHandler(() => driver.next?.())).cap);
    return driver;
  }

  /** Publishes the init's next config version and returns the init's report of it. */
  async checkpoint(name: string): Promise<string> {
    const version = await this.control.checkpoint(name);
    for (;;) {
      const reported = new Promise<void>((r) => (this.next = r));
      const text = await this.control.report(version);
      if (text) return text;
      await reported;
    }
  }
}
