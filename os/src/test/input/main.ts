/*
 * test-input: logs every event of its Input session and compares the stream with the
 * events its config expects, in order:
 *   <config> <expect event="press KEY_A"/> <expect event="motion 10 -5"/> ... </config>
 * Event texts: "press NAME", "release NAME", "motion X Y", "wheel X Y", "absolute X Y".
 */
import { AttachedRomDataspace } from '../../../../base/src/lib/attached_dataspace.js';
import type { Env } from '../../../../base/src/lib/env.js';
import { XmlNode } from '../../../../base/src/util/xml_node.js';
import { openLog } from '../../lib/log.js';
import { InputConnection } from '../../session/input/connection.js';
import { InputEventType, type InputEvent } from '../../session/input/event.js';
import { keyCodeName } from '../../session/input/keycodes.js';

function describe(e: InputEvent): string {
  switch (e.type) {
    case InputEventType.PRESS: return `press ${keyCodeName(e.code)}`;
    case InputEventType.RELEASE: return `release ${keyCodeName(e.code)}`;
    case InputEventType.MOTION: return `motion ${e.x} ${e.y}`;
    case InputEventType.WHEEL: return `wheel ${e.x} ${e.y}`;
    case InputEventType.ABSOLUTE: return `absolute ${e.x} ${e.y}`;
    case InputEventType.HOVER_LEAVE: return 'hover-leave';
  }
}

export async function construct(env: Env): Promise<void> {
  const log = await openLog(env);
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-input');
  const expected = config.children('expect').map((n) => n.attr('event'));
  if (expected.length === 0) throw config.error('no <expect event="..."/> nodes');
  let seen = 0;
  let done = false;
  await InputConnection.open(env, async (e) => {
    const text = describe(e);
    const code = 'code' in e ? ` (${e.code})` : '';
    if (done) return log(`Error: unexpected event after the last expected one: ${text}`);
    if (text !== expected[seen]) {
      done = true;
      return log(`Error: event ${seen + 1} is "${text}", expected "${expected[seen]}"`);
    }
    seen++;
    await log(`event ${seen}: ${text}${code}`);
    if (seen === expected.length) {
      done = true;
      await log(`--- input test finished: ${seen} events as expected ---`);
    }
  });
  await log('input test ready');
}
