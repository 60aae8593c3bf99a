/*
 * test-quota_abuse: a hostile child that tries to make quota out of nothing or make others
 * pay for it: negative, fractional, NaN and huge quota transfers (also as raw message words
 * that no client library would send), session requests and upgrades with such quotas,
 * negative heap sizes through a server's session functions, and a flood of session requests
 * whose answers it never collects. Every attempt must be refused with an error, and its own
 * quota and the server's must be the same before and after.
 */
import type { Capability } from '../../capability.js';
import { AttachedRomDataspace } from '../../lib/attached_dataspace.js';
import { Connection } from '../../lib/connection.js';
import type { Env } from '../../lib/env.js';
import { unmarshalReply } from '../../rpc/client.js';
import { interfaceInfo, type InterfaceClass } from '../../rpc/interface.js';
import { MsgWriter } from '../../rpc/types.js';
import { LogSession } from '../../session/log/session.js';
import { SessionState } from '../../session/parent/session.js';
import { PdSession, type Quota } from '../../session/pd/session.js';
import { RegionMap } from '../../session/region_map/session.js';
import { XmlNode } from '../../util/xml_node.js';
import { watchReferee } from './referee.js';
import { AbuseTestSession, HONEST_CYCLES, Stage } from './session.js';

const show = (q: Quota) => `RAM ${q.ramUsed}/${q.ramQuota}, caps ${q.capUsed}/${q.capQuota}`;
const same = (a: Quota, b: Quota) => JSON.stringify(a) === JSON.stringify(b);

/** Session ids for the flood, far above the ones the environment hands out. */
const FLOOD_ID_BASE = 1 << 20;

/** The amounts a hostile client tries, as it would write them. */
const AMOUNTS: Array<[string, number]> = [
  ['-4096', -4096], ['-1G', -(2 ** 30)], ['NaN', NaN], ['1.5', 1.5], ['Infinity', Infinity],
  ['2^53', 2 ** 53], ['2^53-1', Number.MAX_SAFE_INTEGER],
];

/** Quota arguments of session requests and upgrades. */
const BAD_ARGS = [
  'ram_quota=-4096', 'cap_quota=-1', 'ram_quota=NaN', 'ram_quota=1.5', 'ram_quota=99999999999999999999',
  'ram_quota=9007199254740993', 'ram_quota=9007199254740991', 'ram_quota=4096, cap_quota=1000000',
];

/**
 * Calls `name` of `iface` with the arguments after the opcode written word by word, past
 * the client-side checks, as hostile code can always do. `int` arguments are two words:
 * the receiver reads hi * 2^32 + lo with a signed hi, so 2^62 or -2^32 are one message away.
 */
function rawCall<T>(env: Env, iface: InterfaceClass<T>, cap: Capability<T>, name: string, write: (w: MsgWriter) => void): Promise<unknown> {
  const fn = interfaceInfo(iface).functions.find((f) => f.name === name)!;
  return env.runtime.caller.call(cap, (msg) => {
    const w = new MsgWriter(msg);
    w.word(fn.opcode);
    write(w);
  }, (msg) => unmarshalReply(fn, msg));
}

const RAW_INTS: Array<[string, number, number]> = [['2^62', 0, 0x4000_0000], ['-2^32', 0, 0xffff_ffff]];

export async function construct(env: Env): Promise<void> {
  const config = XmlNode.parse((await AttachedRomDataspace.open(env, 'config')).text(), 'config of test-quota_abuse');
  const floodSize = config.numberAttr('flood', 10_000);
  const log = await Connection.open(env, LogSession);
  /* a LOG line has at most 232 bytes */
  const say = (text: string) => log.session.write(text.length > 220 ? `${text.slice(0, 217)}...` : text);
  const referee = (await Connection.open(env, AbuseTestSession, { label: 'referee' })).session;
  const until = await watchReferee(env, referee);

  let attempts = 0;
  let accepted = 0;
  /** Runs one attack, which must throw; true if it did. */
  const attempt = async (what: string, attack: () => Promise<unknown>, quiet = false): Promise<boolean> => {
    attempts++;
    try {
      await attack();
    } catch (e) {
      if (!quiet) await say(`refused ${what}: ${(e as Error).name}: ${(e as Error).message}`);
      return true;
    }
    accepted++;
    await say(`Error: ${what} was accepted`);
    return false;
  };

  /* the figures are taken while the honest sibling opens or closes nothing */
  await until(async () => (await referee.ticks()) >= 1);
  const mineBefore = await env.pd.quota();
  const serverBefore = await referee.serverQuota();
  await say(`before: hostile ${show(mineBefore)}; server ${show(serverBefore)}`);
  await referee.advance(Stage.ATTACK);

  /* 1. quota transfers between its own PD and a PD session it opened (its reference account is ours) */
  const other = await Connection.open(env, PdSession, { label: 'mint' });
  await other.session.refAccount(env.pd.cap);
  for (const [text, n] of AMOUNTS) {
    await attempt(`transferQuota(${text})`, () => env.pd.transferQuota(other.cap, n));
    await attempt(`transferQuota(${text}) back`, () => other.session.transferQuota(env.pd.cap, n));
    await attempt(`transferCapQuota(${text})`, () => env.pd.transferCapQuota(other.cap, n));
    await attempt(`transferCapQuota(${text}) back`, () => other.session.transferCapQuota(env.pd.cap, n));
  }
  for (const [text, lo, hi] of RAW_INTS) {
    for (const fn of ['transferQuota', 'transferCapQuota']) {
      await attempt(`raw ${fn}(${text})`, () => rawCall(env, PdSession, env.pd.cap, fn, (w) => {
        w.cap(other.cap);
        w.word(lo);
        w.word(hi);
      }));
    }
    await attempt(`raw PD alloc(${text})`, () => rawCall(env, PdSession, env.pd.cap, 'alloc', (w) => { w.word(lo); w.word(hi); }));
  }
  for (const [text, n] of [['-4096', -4096], ['0', 0], ['NaN', NaN]] as const) {
    await attempt(`PD alloc(${text})`, () => env.pd.alloc(n));
  }
  const ds = await env.pd.alloc(4096);
  await attempt('attach with size -4096', () => env.attach(ds, { size: -4096 }));
  await attempt('attach with offset -4096', () => env.attach(ds, { offset: -4096 }));
  await attempt('attach at -4096', () => env.attach(ds, { useAt: true, at: -4096 }));
  await attempt('raw attach with size 2^62', () => rawCall(env, RegionMap, env.rm.cap, 'attach', (w) => {
    w.cap(ds);
    w.word(0); w.word(0x4000_0000); /* size */
    w.word(0); w.word(0); /* offset */
    w.word(0); w.word(0); w.word(0); /* useAt, at */
    w.word(0); w.word(1); /* executable, writeable */
  }));
  await env.pd.free(ds);
  env.runtime.release(ds);
  await other.close();

  /* 2. session requests whose quota arguments are not amounts, at a child server and at core */
  for (const service of ['Abuse_test', 'LOG']) {
    for (const args of BAD_ARGS) {
      await attempt(`${service} session with ${args}`, () => env.session(service, `label="bad", ${args}`));
    }
  }

  /* 3. upgrades of open sessions, at a child server and at core */
  const upgraded = await Connection.open(env, AbuseTestSession, { label: 'upgraded' });
  const coreSession = await Connection.open(env, LogSession, { label: 'upgraded' });
  const budgetBefore = await upgraded.session.sessionQuota();
  for (const [service, conn] of [['Abuse_test', upgraded], ['LOG', coreSession]] as const) {
    for (const args of BAD_ARGS) await attempt(`upgrade of ${service} session with ${args}`, () => env.upgrade(conn.id, args));
  }

  /* 4. negative and huge sizes to the server's heaps, through its session functions */
  for (const [text, n] of AMOUNTS) {
    await attempt(`grow(${text})`, () => upgraded.session.grow(n));
    await attempt(`carve(${text})`, () => upgraded.session.carve(n));
  }
  for (const [text, lo, hi] of RAW_INTS) {
    await attempt(`raw grow(${text})`, () => rawCall(env, AbuseTestSession, upgraded.cap, 'grow', (w) => { w.word(lo); w.word(hi); }));
    await attempt(`raw carve(${text})`, () => rawCall(env, AbuseTestSession, upgraded.cap, 'carve', (w) => { w.word(lo); w.word(hi); }));
  }
  let repeated = 0;
  for (let i = 0; i < 100; i++) if (await attempt('grow(-4096)', () => upgraded.session.grow(-4096), true)) repeated++;
  await say(`grow(-4096) 100 times: ${repeated} refused`);
  const budgetAfter = await upgraded.session.sessionQuota();
  await say(`${same(budgetBefore, budgetAfter) ? '' : 'Error: '}session budget at the server before ${show(budgetBefore)}, after ${show(budgetAfter)}: ${same(budgetBefore, budgetAfter) ? 'unchanged' : 'changed'}`);
  await upgraded.close();
  await coreSession.close();

  /* 5. a flood of session requests whose answers are never collected */
  const beforeFlood = await env.pd.quota();
  const held: number[] = [];
  const refusals = new Map<string, number>();
  let firstRefusal = '';
  for (let i = 0; i < floodSize; i++) {
    const id = FLOOD_ID_BASE + i;
    attempts++;
    try {
      await env.parent.session(id, AbuseTestSession.service, 'label="flood", ram_quota=0, cap_quota=0');
      held.push(id);
    } catch (e) {
      const name = (e as Error).name;
      refusals.set(name, (refusals.get(name) ?? 0) + 1);
      firstRefusal ||= `${name}: ${(e as Error).message}`;
    }
  }
  /* each kept request will end refused by the server (it donates nothing); it is counted when collected */
  const duringFlood = await env.pd.quota();
  const refusedCount = [...refusals.values()].reduce((a, b) => a + b, 0);
  await say(`flood of ${floodSize} session requests: ${held.length} kept, ${refusedCount} refused (${[...refusals].map(([k, v]) => `${v} ${k}`).join(', ')})`);
  await say(`first refusal: ${firstRefusal}`);
  await say(`the kept requests cost the hostile child ${beforeFlood.ramQuota - duringFlood.ramQuota} bytes of its RAM quota (${held.length} x ${(beforeFlood.ramQuota - duringFlood.ramQuota) / Math.max(held.length, 1)})`);

  /* the honest sibling must keep getting sessions while the flood is held */
  await referee.advance(Stage.FLOOD_HELD);
  await until(async () => (await referee.ticks()) >= 1 + HONEST_CYCLES);

  /* collect: every kept request was answered with a refusal (it donated nothing) */
  let pending = held;
  let collectedRefusals = 0;
  while (pending.length) {
    const next: number[] = [];
    for (const id of pending) {
      const r = await env.parent.sessionResponse(id);
      if (r.state === SessionState.PENDING) next.push(id);
      else if (r.state === SessionState.AVAILABLE) {
        accepted++;
        await env.parent.close(id);
      } else collectedRefusals++;
    }
    pending = next;
  }
  await say(`collected ${collectedRefusals} of ${held.length} kept requests, each refused by the server`);

  await referee.advance(Stage.ATTACK_DONE);
  await until(async () => (await referee.stage()) >= Stage.HONEST_DONE);
  const mineAfter = await env.pd.quota();
  const serverAfter = await referee.serverQuota();
  const minted = mineAfter.ramQuota - mineBefore.ramQuota;
  const mintedCaps = mineAfter.capQuota - mineBefore.capQuota;
  await say(`after: hostile ${show(mineAfter)}; server ${show(serverAfter)}`);
  await say(same(mineBefore, mineAfter) ? 'hostile quota unchanged: nothing minted, nothing lost' : `Error: hostile quota changed by ${minted} bytes and ${mintedCaps} caps`);
  await say(same(serverBefore, serverAfter) ? 'server quota unchanged: it paid nothing for the attacks' : 'Error: server quota changed');
  await say(accepted === 0 ? `all ${attempts} attempts refused` : `Error: ${accepted} of ${attempts} attempts accepted`);
  await say('--- quota_abuse finished ---');
  await env.exit(accepted === 0 ? 0 : 1);
}
