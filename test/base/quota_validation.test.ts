/*
 * Quota amounts and allocation sizes at trust boundaries: guards, heaps, session arguments
 * and the parent's bookkeeping of session requests refuse what is not a whole number, before
 * any account changes.
 */
import test from 'ava';
import { Capability } from '../../base/src/capability.js';
import { BadArgument, OutOfRam, ServiceDenied } from '../../base/src/errors.js';
import type { Env } from '../../base/src/lib/env.js';
import { ConstrainedRamAllocator, Heap, SlicedHeap, type RamAllocator } from '../../base/src/lib/heap.js';
import { ParentServer, SESSION_REQUEST_RAM, type SessionRequest } from '../../base/src/lib/parent_server.js';
import { AMOUNT_MAX, checkAmount, checkSize, isAmount } from '../../base/src/lib/quota_amount.js';
import { QuotaGuard, withdrawBoth } from '../../base/src/lib/quota_guard.js';
import { parseArgs, resourcesOf } from '../../base/src/session/args.js';
import type { Dataspace } from '../../base/src/session/dataspace/session.js';
import { SessionState } from '../../base/src/session/parent/session.js';

const BAD = [-1, -4096, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -0.5];

test('amounts: whole numbers from 0 to 2^53 - 1, sizes from 1', (t) => {
  for (const ok of [0, 1, 4096, AMOUNT_MAX]) t.true(isAmount(ok));
  for (const bad of [...BAD, '4096', undefined]) t.false(isAmount(bad));
  t.is(checkAmount(0, 'ram_quota', 'x'), 0);
  const e = t.throws(() => checkAmount(-4096, 'ram_quota', 'LOG session "a"'), { instanceOf: BadArgument });
  t.regex(e!.message, /^LOG session "a": ram_quota -4096 refused/);
  t.throws(() => checkSize(0, 'size', 'x'), { instanceOf: BadArgument, message: /size 0 refused/ });
  t.throws(() => checkAmount('x'.repeat(1000), 'ram_quota', 'x'), { message: /"x{24}\.\.\." refused/ });
});

test('quota guard refuses bad amounts in every operation and stays unchanged', (t) => {
  const g = new QuotaGuard(8192, 'RAM', 'PD "x"');
  g.withdraw(4096);
  for (const bad of BAD) {
    for (const op of [() => g.withdraw(bad), () => g.replenish(bad), () => g.upgrade(bad), () => g.downgrade(bad)]) {
      const e = t.throws(op, { instanceOf: BadArgument });
      t.regex(e!.message, /^PD "x": /);
    }
  }
  t.is(g.limit, 8192);
  t.is(g.used, 4096);
  t.throws(() => new QuotaGuard(-1, 'caps', 'CPU session "y"'), { instanceOf: BadArgument, message: /CPU session "y": capability limit -1 refused/ });
  t.throws(() => { g.limit = -5; }, { instanceOf: BadArgument });
  t.is(g.limit, 8192);
});

test('quota guard refuses an upgrade past 2^53 - 1 (sums would stop being exact)', (t) => {
  const g = new QuotaGuard(AMOUNT_MAX - 10, 'caps', 'PD "big"');
  t.throws(() => g.upgrade(11), { instanceOf: BadArgument, message: /beyond/ });
  g.upgrade(10);
  t.is(g.limit, AMOUNT_MAX);
});

test('withdrawBoth takes nothing when one amount is bad', (t) => {
  const ram = new QuotaGuard(8192, 'RAM');
  const caps = new QuotaGuard(4, 'caps');
  t.throws(() => withdrawBoth(ram, 4096, caps, -1), { instanceOf: BadArgument });
  t.is(ram.used, 0);
  t.is(caps.used, 0);
});

test('session quota arguments: absent is 0, a non-amount is refused naming who asked', (t) => {
  t.deepEqual(resourcesOf(parseArgs('label="a"')), { ramQuota: 0, capQuota: 0 });
  t.deepEqual(resourcesOf(parseArgs('ram_quota=8K, cap_quota=2')), { ramQuota: 8192, capQuota: 2 });
  for (const args of ['ram_quota=-4096', 'cap_quota=-1', 'ram_quota=1.5', 'ram_quota=NaN', 'ram_quota=99999999999999999999', 'ram_quota=9007199254740993']) {
    const e = t.throws(() => resourcesOf(parseArgs(args), 'session request of "evil"'), { instanceOf: BadArgument });
    t.regex(e!.message, /^session request of "evil": (ram|cap)_quota .* refused/);
  }
});

/* ------------------------------------------------------------------ heaps */

/** A RAM allocator that records what it was asked, and an Env with just what heaps use. */
function fakes() {
  const calls: string[] = [];
  let next = 1;
  const ram: RamAllocator = {
    alloc: async (size) => {
      calls.push(`alloc ${size}`);
      return new Capability<Dataspace>({ key: next++ } as never);
    },
    free: async (_ds, size) => { calls.push(`free ${size}`); },
  };
  let at = 0x10000;
  const env = {
    attach: async () => { calls.push('attach'); const a = at; at += 0x100000; return a; },
    view: (_addr: number, size: number) => new Uint8Array(size),
    rm: { detach: async () => { calls.push('detach'); } },
    runtime: { release: () => {} },
  } as unknown as Env;
  return { calls, ram, env };
}

test('sliced heap and heap refuse bad sizes before asking for any RAM', async (t) => {
  const { calls, ram, env } = fakes();
  const sliced = new SlicedHeap(ram, env, 'Test session "c"');
  const heap = new Heap(ram, env, 'Test session "c"');
  for (const bad of BAD) {
    const e = await t.throwsAsync(sliced.alloc(bad), { instanceOf: BadArgument });
    t.regex(e!.message, /^Test session "c": allocation of bytes .* refused/);
    await t.throwsAsync(heap.alloc(bad), { instanceOf: BadArgument });
  }
  t.deepEqual(calls, []);
  t.is(sliced.consumed, 0);
  t.is(heap.consumed, 0);
  /* good sizes still work */
  const b = await sliced.alloc(100);
  t.is(b.size, 100);
  await sliced.free(b);
  t.deepEqual(calls, ['alloc 4096', 'attach', 'detach', 'free 4096']);
});

test('a sliced heap gives the dataspace back when its view fails', async (t) => {
  const { calls, ram, env } = fakes();
  (env as unknown as { view: () => never }).view = () => { throw new RangeError('not mapped'); };
  const sliced = new SlicedHeap(ram, env);
  await t.throwsAsync(sliced.alloc(64), { instanceOf: RangeError });
  t.deepEqual(calls, ['alloc 4096', 'attach', 'detach', 'free 4096']);
  t.is(sliced.consumed, 0);
});

test('a constrained allocator refuses bad sizes before charging its guards', async (t) => {
  const { calls, ram } = fakes();
  const ramGuard = new QuotaGuard(16384, 'RAM', 'Test session "d"');
  const capGuard = new QuotaGuard(4, 'caps', 'Test session "d"');
  const c = new ConstrainedRamAllocator(ram, ramGuard, capGuard);
  for (const bad of [...BAD, 0]) await t.throwsAsync(c.alloc(bad), { instanceOf: BadArgument, message: /^Test session "d": dataspace size/ });
  t.is(ramGuard.used, 0);
  t.is(capGuard.used, 0);
  t.deepEqual(calls, []);
  await t.throwsAsync(c.alloc(32768), { instanceOf: OutOfRam });
  t.is(ramGuard.used, 0);
});

/* ------------------------------------------------------------------ the parent's requests */

class TestParent extends ParentServer {
  readonly name = 'child';
  account = 3 * SESSION_REQUEST_RAM;
  protected submit(): void {}
  protected async createSession(req: SessionRequest): Promise<void> {
    if (req.service === 'Nowhere') throw new ServiceDenied('no route');
    req.cap = new Capability({ key: req.id } as never);
    req.route = {};
  }
  protected async upgradeSession(): Promise<void> {}
  protected async closeSession(req: SessionRequest): Promise<void> { req.route = undefined; }
  protected childExited(): void {}
  protected serviceAnnounced(): void {}
  protected chargeRequest(ram: number): void {
    if (ram > this.account) throw new OutOfRam(`${this.account} bytes left`);
    this.account -= ram;
  }
  protected refundRequest(ram: number): void { this.account += ram; }
  limitTo(n: number): void { this.requestsMax = n; }
}

const settle = () => new Promise<void>((r) => setImmediate(r));

test('each kept request is paid by the child and refunded when its answer is collected', async (t) => {
  const p = new TestParent();
  await p.session(16, 'Nowhere', '');
  await p.session(17, 'LOG', 'ram_quota=8K');
  t.is(p.account, SESSION_REQUEST_RAM);
  t.is(p.outstandingRequests, 2);
  await settle();
  t.is((await p.sessionResponse(16)).state, SessionState.DENIED);
  t.is(p.account, 2 * SESSION_REQUEST_RAM);
  t.is((await p.sessionResponse(17)).state, SessionState.AVAILABLE);
  await p.close(17);
  await settle();
  t.is((await p.sessionResponse(17)).state, SessionState.CLOSED);
  t.is(p.account, 3 * SESSION_REQUEST_RAM);
  t.is(p.outstandingRequests, 0);
});

test('a child that cannot pay gets OutOfRam, and the id stays free', async (t) => {
  const p = new TestParent();
  for (const id of [16, 17, 18]) await p.session(id, 'Nowhere', '');
  const e = await t.throwsAsync(p.session(19, 'Nowhere', ''), { instanceOf: OutOfRam });
  t.regex(e!.message, /^child: cannot pay 4096 bytes for "Nowhere" session request 19/);
  t.is(p.outstandingRequests, 3);
  t.is((await p.sessionResponse(19)).state, SessionState.CLOSED); /* unknown id */
});

test('beyond the limit of outstanding requests the child is denied', async (t) => {
  const p = new TestParent();
  p.account = 100 * SESSION_REQUEST_RAM;
  p.limitTo(2);
  await p.session(16, 'Nowhere', '');
  await p.session(17, 'Nowhere', '');
  const e = await t.throwsAsync(p.session(18, 'Nowhere', ''), { instanceOf: ServiceDenied });
  t.regex(e!.message, /2 requests outstanding, the limit is 2/);
  await settle();
  await p.sessionResponse(16);
  await p.session(18, 'Nowhere', '');
  t.is(p.outstandingRequests, 2);
});

test('bad ids and bad upgrade amounts are refused before anything is recorded', async (t) => {
  const p = new TestParent();
  await t.throwsAsync(p.session(-1, 'LOG', ''), { instanceOf: BadArgument });
  await t.throwsAsync(p.session(2 ** 60, 'LOG', ''), { instanceOf: BadArgument });
  t.is(p.outstandingRequests, 0);
  await p.session(16, 'LOG', '');
  await settle();
  for (const args of ['ram_quota=-4096', 'cap_quota=-1', 'ram_quota=99999999999999999999']) {
    const e = await t.throwsAsync(p.upgrade(16, args), { instanceOf: BadArgument });
    t.regex(e!.message, /^child: upgrade of session 16: (ram|cap)_quota .* refused/);
  }
  t.is((await p.sessionResponse(16)).state, SessionState.AVAILABLE);
});

/* ------------------------------------------------------------------ init's config */

test('init refuses a quota in its config that is beyond exact amounts, with its position', async (t) => {
  const { parseInitConfig } = await import('../../os/src/init/config_model.js');
  const start = (resource: string) => `<config>\n<start name="a" caps="10">\n${resource}</start></config>`;
  t.is(parseInitConfig(start('<resource name="RAM" quantum="1M"/>')).starts[0]!.ram, 1024 * 1024);
  for (const r of ['<resource name="RAM" quantum="99999999999999999999"/>', '<resource name="RAM" quantum="9999999999G"/>',
    '<resource name="RAM" quantum="1M" maximum="9999999999G"/>', '<resource name="CAP" quantum="99999999999999999999"/>']) {
    t.throws(() => parseInitConfig(start(r)), { message: /line 3, column \d+: <resource>: attribute (quantum|maximum)="\d+G?" is out of range \(at most 9007199254740991\)/ });
  }
  t.throws(() => parseInitConfig('<config><start name="a" ram="1M" caps="99999999999999999999"/></config>'), { message: /<start>: attribute caps="\d+" is out of range/ });
});
