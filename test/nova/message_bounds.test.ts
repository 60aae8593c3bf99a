/*
 * The NOVA kernel bounds every count it reads from a UTCB: a message whose untyped words
 * and typed items do not fit the page is refused with INV_PARAMETER, in the call and in
 * the reply, before anything of the receiver (its words, header, receive window) changes.
 */
import test from 'ava';
import { Pc } from '../../tool/pc/index.js';
import { Hypervisor, messageFits } from '../../base-nova/src/kernel/hypervisor.js';
import type { Ec } from '../../base-nova/src/kernel/objects.js';
import {
  ItemFlags, PtRights, Sel, Status, UTCB_HEADER_WORDS, UTCB_WORDS, UtcbHeader, decodeCrd, encodeCrd, objCrd,
} from '../../base-nova/src/kernel/abi.js';

const CORE_EC = 0x20;
const WINDOW = 0x80;

function boot(): Promise<{ hv: Hypervisor; core: Ec }> {
  const hv = new Hypervisor(new Pc({ ramBytes: 16 << 20 }));
  hv.console = () => {};
  return new Promise((resolve) => hv.bootRoot(CORE_EC, 'core', 0x8000, (_a, core) => resolve({ hv, core })));
}

const call = (hv: Hypervisor, ec: Ec, sel: number) => new Promise<Status>((r) => hv.call(ec, sel, r));

function ok(s: Status): void {
  if (s !== Status.SUCCESS) throw new Error(`status ${s}`);
}

/**
 * A server PD whose portal handler records what arrived and replies with `reply` (the
 * handler may set the reply's header); its receive window is WINDOW..WINDOW+3.
 */
function server(hv: Hypervisor, core: Ec, reply: (u: Uint32Array) => void = () => {}) {
  const [pd, ec, pt] = [0x40, 0x41, 0x42];
  const seen: Array<{ items: number; word: number; item: number }> = [];
  ok(hv.createPd(core, pd, 'server'));
  ok(hv.createEc(core, ec, pd, 'server:ep', 0x4000_0000, false, 0x100, 0));
  let self: Ec | undefined;
  const replies: Status[] = [];
  ok(hv.installCode(core, pd, 0x100, (_id, e) => {
    self = e;
    const u = e.utcb;
    seen.push({ items: u[UtcbHeader.ITEMS]!, word: u[UTCB_HEADER_WORDS]!, item: u[UTCB_WORDS - 2]! });
    u[UtcbHeader.ITEMS] = 1;
    u[UTCB_HEADER_WORDS] = 77;
    reply(u);
    replies.push(hv.reply(e));
    /* what a server must do anyway: offer its window again for the next request */
    u[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(WINDOW, 2));
  }));
  ok(hv.createPt(core, pt, pd, ec, 0, 0x100));
  const ep = hv.rootPd.objects.lookup(ec)!.obj as Ec;
  ep.utcb[UtcbHeader.CRD_RCV] = encodeCrd(objCrd(WINDOW, 2));
  return { pt, ep, seen, replies, pd: hv.rootPd.objects.lookup(pd)!.obj, self: () => self };
}

test('messageFits: untyped words and typed items together within the page', (t) => {
  const u = new Uint32Array(UTCB_WORDS);
  const max = UTCB_WORDS - UTCB_HEADER_WORDS;
  for (const [untyped, typed, fits] of [[0, 0, true], [max, 0, true], [max + 1, 0, false], [0, max / 2, true], [0, max / 2 + 1, false],
    [max - 2, 1, true], [max - 1, 1, false], [0xffff, 0, false], [0, 0xffff, false], [0xffff, 0xffff, false]] as const) {
    u[UtcbHeader.ITEMS] = (untyped | (typed << 16)) >>> 0;
    t.is(messageFits(u), fits, `${untyped} untyped, ${typed} typed`);
  }
});

test('an oversized untyped count is refused before the receiver sees anything', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core);
  const before = s.ep.utcb.slice();
  core.utcb.fill(0xabababab, UTCB_HEADER_WORDS);
  for (const items of [0xffff, UTCB_WORDS - UTCB_HEADER_WORDS + 1, 0x0200_0005, 0xffff_ffff]) {
    core.utcb[UtcbHeader.ITEMS] = items >>> 0;
    t.is(await call(hv, core, s.pt), Status.INV_PARAMETER, `items word 0x${items.toString(16)}`);
  }
  t.is(s.seen.length, 0);
  t.deepEqual([...s.ep.utcb], [...before], 'the receiver UTCB is untouched');
});

test('a typed-item count that runs into the untyped words is refused; the receive window stays usable', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core);
  ok(hv.createSm(core, 0x70, Sel.PD_SELF, 0));
  for (let i = 0; i < 600; i++) {
    core.utcb[UTCB_WORDS - 2 * (i + 1)] = encodeCrd(objCrd(0x70));
    core.utcb[UTCB_WORDS - 2 * (i + 1) + 1] = ItemFlags.TRANSLATE;
  }
  core.utcb[UtcbHeader.ITEMS] = (10 | (600 << 16)) >>> 0;
  t.is(await call(hv, core, s.pt), Status.INV_PARAMETER);
  t.is(s.seen.length, 0);
  t.is(decodeCrd(s.ep.utcb[UtcbHeader.CRD_RCV]!).base, WINDOW, 'the receive window is intact');
  /* a well-formed message with one item afterwards: the capability lands in the window */
  core.utcb[UtcbHeader.ITEMS] = (1 | (1 << 16)) >>> 0;
  core.utcb[UTCB_WORDS - 2] = encodeCrd(objCrd(0x70));
  core.utcb[UTCB_WORDS - 1] = ItemFlags.TRANSLATE;
  t.is(await call(hv, core, s.pt), Status.SUCCESS);
  t.is(s.seen.length, 1);
  t.is(s.seen[0]!.items >>> 16, 1);
  t.is(decodeCrd(s.seen[0]!.item).base, WINDOW);
  t.is(hv.kindOf(s.self()!, WINDOW), 'SM');
});

test('the exact capacity is accepted', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core);
  core.utcb[UtcbHeader.ITEMS] = UTCB_WORDS - UTCB_HEADER_WORDS;
  t.is(await call(hv, core, s.pt), Status.SUCCESS);
  t.is(s.seen[0]!.items, UTCB_WORDS - UTCB_HEADER_WORDS);
});

test('a malformed reply reaches nobody: the caller gets INV_PARAMETER, its UTCB keeps its words', async (t) => {
  const { hv, core } = await boot();
  const s = server(hv, core, (u) => { u[UtcbHeader.ITEMS] = 0xffff_ffff; });
  core.utcb[UtcbHeader.ITEMS] = 1;
  core.utcb[UTCB_HEADER_WORDS] = 5;
  t.is(await call(hv, core, s.pt), Status.INV_PARAMETER);
  t.deepEqual(s.replies, [Status.INV_PARAMETER]);
  t.is(core.utcb[UTCB_HEADER_WORDS], 5);
  t.is(core.utcb[UtcbHeader.ITEMS], 1);
  /* the server's EC is free for the next call */
  s.ep.utcb[UtcbHeader.ITEMS] = 0;
  t.is(s.seen.length, 1);
});

test('a queued caller whose UTCB became malformed while it waited is refused at delivery', async (t) => {
  const { hv, core } = await boot();
  /* a server that keeps the first call open until released */
  const [pd, ec, pt] = [0x40, 0x41, 0x42];
  let pending: Ec | undefined;
  let delivered = 0;
  ok(hv.createPd(core, pd, 'server'));
  ok(hv.createEc(core, ec, pd, 'server:ep', 0x4000_0000, false, 0x100, 0));
  ok(hv.installCode(core, pd, 0x100, (_id, e) => {
    delivered++;
    e.utcb[UtcbHeader.ITEMS] = 0;
    if (delivered === 1) pending = e;
    else hv.reply(e);
  }));
  ok(hv.createPt(core, pt, pd, ec, 0, 0x100));
  /* a second caller: another EC of the root PD with its own UTCB */
  ok(hv.createEc(core, 0x50, Sel.PD_SELF, 'core:other', 0x9000, false, 0x200, 0));
  const other = hv.rootPd.objects.lookup(0x50)!.obj as Ec;
  core.utcb[UtcbHeader.ITEMS] = 0;
  const first = call(hv, core, pt);
  other.utcb[UtcbHeader.ITEMS] = 1;
  const second = call(hv, other, pt);
  other.utcb[UtcbHeader.ITEMS] = 0xffff;
  ok(hv.reply(pending!));
  t.is(await first, Status.SUCCESS);
  t.is(await second, Status.INV_PARAMETER);
  t.is(delivered, 1);
});
