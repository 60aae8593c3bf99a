/*
 * A LOG connection for drivers and tests that writes any text: long texts are split into
 * lines that fit the LOG session's string bound instead of being refused.
 */
import { Connection } from '../../../base/src/lib/connection.js';
import type { Env } from '../../../base/src/lib/env.js';
import { LogSession } from '../../../base/src/session/log/session.js';
import { utf8Length } from '../../../base/src/util/utf8.js';

export type Log = (text: string) => Promise<void>;

/** Splits `text` into pieces of at most `max` UTF-8 bytes, at character boundaries. */
export function splitForLog(text: string, max = LogSession.MAX_STRING_LEN): string[] {
  const out: string[] = [];
  let piece = '';
  let bytes = 0;
  for (const ch of text) {
    const n = utf8Length(ch);
    if (bytes + n > max) {
      out.push(piece);
      piece = '';
      bytes = 0;
    }
    piece += ch;
    bytes += n;
  }
  out.push(piece);
  return out;
}

export async function openLog(env: Env, label = ''): Promise<Log> {
  const log = await Connection.open(env, LogSession, { label });
  return async (text: string) => {
    for (const line of splitForLog(text)) await log.session.write(line);
  };
}

/** "Name: message" of an error, for log lines. */
export function describeError(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
