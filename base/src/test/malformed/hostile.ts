/*
 * test-malformed_client: a hostile client. It sends malformed messages, as any code of a
 * component can write them into its message buffer, to a server, to its parent (an init)
 * and to core: counts that do not describe the message (oversized, negative, fractional),
 * too many or fake capabilities, truncated requests, unknown opcodes, string, boolean,
 * list and capability-index words that lie, and capabilities whose name it altered. Every
 * one must be answered with an error. Then the server, init and core must work as before:
 * the server's capability space and account are unchanged, a capability passed afterwards
 * arrives, a new session opens, and init starts a child (test-malformed_late).
 *   <config messages="10000"/>
 */
import { Capability, NativeCapability } from '../../capability.js';
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { interfaceInfo, type InterfaceClass, type RpcInterfaceInfo } from '../../rpc/interface.js';
import type { MsgBuffer } from '../../rpc/msgbuf.js';
import { ReplyCode } from '../../rpc/protocol.js';
import { LogSession } from '../../session/log/session.js';
import { Parent } from '../../session/parent/session.js';
import { PdSession } from '../../session/pd/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { InitDriver } from '../init_driver/connection.js';
import { MalformedTarget, type TargetStats } from './session.js';

type Fill = (msg: MsgBuffer) => void;
interface Attack { kind: string; target: string; dst: Capability<unknown>; fill: Fill }

/** A name like the capability's, with the part that names the object altered (what forging a badge or key means). */
function forged(c: Capability<unknown>): Capability<unknown> {
  const n = c.native!;
  const copy = Object.create(Object.getPrototypeOf(n)) as Record<string, unknown>;
  for (const [k, v] of Object.entries(n)) {
    if (v === n.key) copy[k] = typeof v === 'number' ? v + 0x40000 : `${String(v).slice(0, -1)}${String(v).endsWith('0') ? '1' : '0'}`;
    else if (typeof v === 'number' || typeof v === 'string') copy[k] = v;
  }
  return new Capability(copy as unknown as NativeCapability);
}

/** Every malformed message for one target; `safe` is a harmless request that must reach nothing through a forged name. */
function attacks(target: string, dst: Capability<unknown>, iface: InterfaceClass, attach: NativeCapability, maxCaps: number, safe: Fill): Attack[] {
  const info: RpcInterfaceInfo = interfaceInfo(iface);
  const out: Attack[] = [];
  const add = (kind: string, fill: Fill, to = dst) => out.push({ kind, target, dst: to, fill });
  const withArgs = info.functions.filter((f) => f.args.length > 0);
  const first = withArgs[0]!.opcode;
  const ops = info.functions.length;
  const body = (msg: MsgBuffer, words: number[]) => words.forEach((w, i) => (msg.words[i] = w));

  /* -1: one word more than the buffer holds */
  for (const n of [-1, 0x10000, 0x10001, 0x1ffff, 0x7fffffff, 2 ** 32, 2 ** 32 + 1, Infinity, Number.NaN, 1.5, 2 ** 53]) {
    add('oversized length', (m) => { body(m, [first, 1, 2]); m.length = n < 0 ? m.words.length + 1 : n; });
  }
  for (const n of [-1, -2, -3, -64, -1024, -(2 ** 31), -(2 ** 32), -Infinity]) {
    add('negative length', (m) => { body(m, [first, 1, 2]); m.length = n; });
  }
  for (const n of [maxCaps + 1, maxCaps + 2, 2 * maxCaps, 64]) {
    add('too many capabilities', (m) => { body(m, [ops + 7]); m.length = 1; for (let i = 0; i < n; i++) m.caps.push(attach); });
  }
  for (const fake of [{}, 42, 'cap', new Capability(attach)]) {
    add('not a capability', (m) => { body(m, [ops + 7]); m.length = 1; m.caps.push(fake as unknown as NativeCapability); });
  }
  add('truncated', (m) => { m.length = 0; });
  for (const f of withArgs) {
    add('truncated', (m) => { body(m, [f.opcode]); m.length = 1; });
    if (f.args[0]!.name === 'int') add('truncated', (m) => { body(m, [f.opcode, 5]); m.length = 2; });
  }
  for (const op of [ops, ops + 1, 1000, 0x7fffffff, 0xffffffff]) {
    add('unknown opcode', (m) => { body(m, [op]); m.length = 1; });
    add('unknown opcode', (m) => { body(m, [op, 1, 2, 3]); m.length = 4; m.caps.push(attach); });
  }
  for (const f of withArgs) {
    const t = f.args[0]!.name;
    const strMax = /^str\((\d+)\)$/.exec(t);
    if (strMax) {
      const max = Number(strMax[1]);
      for (const len of [max + 1, 0x80000000, 0xffffffff]) add('string length', (m) => { body(m, [f.opcode, len, 0x41414141]); m.length = 3; });
      add('string length', (m) => { body(m, [f.opcode, 64, 0x41414141]); m.length = 3; });
      add('invalid UTF-8', (m) => { body(m, [f.opcode, 3, 0x00fffeff]); m.length = 3; });
    }
    if (t === 'bool') for (const w of [2, 7, 0xffffffff]) add('bad boolean', (m) => { body(m, [f.opcode, w]); m.length = 2; });
    if (t.startsWith('list(')) for (const w of [9, 0xffffffff]) add('list length', (m) => { body(m, [f.opcode, w, 1, 0]); m.length = 4; });
    if (t === 'cap' || t === 'keptCap') {
      for (const idx of [1, 4, 9, 0x7fffffff]) add('capability index', (m) => { body(m, [f.opcode, idx, 0, 0]); m.length = 4; m.caps.push(attach); });
    }
  }
  const fake = forged(dst);
  add('forged name', safe, fake);
  add('forged name', (m) => { body(m, [ops + 7]); m.length = 1; m.caps.push(attach); }, fake);
  return out;
}

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-malformed_client');
  const total = config.numberAttr('messages', 10_000);
  const log = await Connection.open(env, LogSession);
  const say = (t: string) => log.session.write(t);
  const target = await Connection.open(env, MalformedTarget);
  const driver = await InitDriver.open(env);
  const caller = env.runtime.caller;
  const attach = log.cap.native!;
  const maxCaps = 4;
  const same = (a: TargetStats, b: TargetStats) => JSON.stringify(a) === JSON.stringify(b);
  const showStats = (s: TargetStats) => `capability space ${s.capSpace < 0 ? 'none' : s.capSpace}, RAM used ${s.ramUsed}, caps used ${s.capUsed}, ${s.sessions} session(s)`;

  const stats = interfaceInfo(MalformedTarget).byName.get('stats')!.opcode;
  const sessionResponse = interfaceInfo(Parent).byName.get('sessionResponse')!.opcode;
  const quota = interfaceInfo(PdSession).byName.get('quota')!.opcode;
  const list = [
    ...attacks('server', target.cap, MalformedTarget, attach, maxCaps, (m) => { m.words[0] = stats; m.length = 1; }),
    ...attacks('init', env.parent.cap, Parent, attach, maxCaps, (m) => { m.words[0] = sessionResponse; m.words[1] = 999_999; m.words[2] = 0; m.length = 3; }),
    ...attacks('core', env.pd.cap, PdSession, attach, maxCaps, (m) => { m.words[0] = quota; m.length = 1; }),
  ];

  const before = await target.session.stats();
  const tally = new Map<string, { sent: number; refused: number }>();
  let accepted = 0;
  for (let i = 0; i < total; i++) {
    const a = list[i % list.length]!;
    const key = `${a.target}: ${a.kind}`;
    const t = tally.get(key) ?? { sent: 0, refused: 0 };
    tally.set(key, t);
    t.sent++;
    try {
      const code = await caller.call(a.dst, a.fill, (m) => (m.length > 0 ? m.words[0]! : -1));
      if (code === ReplyCode.OK) accepted++;
      else t.refused++;
    } catch {
      t.refused++;
    }
  }
  for (const [key, t] of tally) await say(`${key}: ${t.sent} sent, ${t.refused} refused with an error`);
  const refused = [...tally.values()].reduce((n, t) => n + t.refused, 0);

  /* valid requests carrying capabilities they have no argument for: answered, and nothing stays behind */
  for (let i = 0; i < 100; i++) {
    await caller.call(target.cap, (m) => {
      m.words[0] = stats;
      m.length = 1;
      for (let c = 0; c < maxCaps; c++) m.caps.push(attach);
    }, () => undefined);
  }

  const after = await target.session.stats();
  const echoed = await target.session.echo('still here');
  const arrived = await target.session.take(log.cap);
  const again = await Connection.open(env, MalformedTarget, { label: 'again' });
  const sum = await again.session.add(2, 3);
  await again.close();
  const q = await env.pd.quota();

  let ok = true;
  const expect = async (what: string, cond: boolean) => {
    ok &&= cond;
    await say(`${what}: ${cond ? 'ok' : 'Error: failed'}`);
  };
  await expect(`${total} malformed messages, ${refused} refused with an error, ${accepted} accepted`, refused === total && accepted === 0);
  await expect(`server before: ${showStats(before)}; after: ${showStats(after)}`, same(before, after));
  await expect('the server still answers', echoed === 'still here');
  await expect('a capability passed afterwards arrives', arrived);
  await expect('a new session through init works', sum === 5);
  await expect('core still answers', q.ramQuota > 0);
  /* the init under attack starts another child now */
  await say(`init: ${await driver.checkpoint('attacked')}`);
  await say(ok ? 'malformed messages refused' : 'Error: malformed messages test failed');
  await env.exit(ok ? 0 : 1);
}
