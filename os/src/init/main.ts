/*
 * init: starts the children its config names and routes their session requests.
 */
import { AttachedRomDataspace } from '../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../base/src/lib/env.js';
import { openLog } from '../lib/log.js';
import { parseInitConfig } from './config_model.js';
import { Sandbox } from './sandbox.js';

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  /* once init exited, its parent may close the LOG session under a write: no fault then */
  const write = (text: string) => void log(text).catch((e: unknown) => {
    if (!env.exited) throw e;
  });
  const sandbox = new Sandbox(env, write, log);
  const rom = await AttachedRomDataspace.open(env, 'config');
  const apply = async () => {
    let config;
    try {
      config = parseInitConfig(rom.text());
    } catch (e) {
      /* a bad config is reported; the children of the last good one keep running */
      write(`Error: ${(e as Error).message}`);
      return;
    }
    sandbox.verbose = config.verbose;
    await sandbox.apply(config);
  };
  /* a new version of the config ROM is applied as a reload */
  const handler = await env.signalHandler(async () => {
    await rom.update();
    await apply();
  });
  await rom.sigh(handler);
  await apply();
  /* a version that arrived between fetching and registering the handler */
  const seen = rom.text();
  await rom.update();
  if (rom.text() !== seen) await apply();
}
