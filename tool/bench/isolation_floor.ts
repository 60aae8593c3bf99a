/*
 * The isolation floor: what a null RPC would cost with nothing but isolation's own
 * mechanisms on its path. Two programs (isolation_floor/program.ts) run metered in
 * compartments of their own, with a user domain each (so the promise hook that attributes
 * unhandled rejections is on), and call each other through a hardened gate that checks
 * its arguments, names ECs by opaque references, copies the message between the UTCBs
 * with its length bounded, charges the user time, and enters the server through a guarded
 * upcall; the reply returns the same way. The client awaits one promise per call.
 *
 * The difference to the null RPC of an emulated kernel is what that kernel's path adds:
 * stubs and marshalling, the caller's queue and continuation, the kernel's scheduling,
 * accounting and capability transfer, the entrypoint's dispatch (doc/ipc-cost-model.md).
 */
import { callback, opaqueRefs, word } from '../../base/src/loader/gate_args.js';
import { Meter } from '../../base/src/loader/cpu_meter.js';
import { RUNAWAY_TICKS } from '../../base/src/loader/launch.js';
import { loadProgram } from '../../base/src/loader/program.js';
import { registerDomain } from '../../base/src/loader/running_domain.js';
import { boundGlobals, instantiate } from '../../base/src/loader/sandbox.js';
import { UserDomain } from '../../base/src/loader/user_domain.js';
import type { FloorGate } from './isolation_floor/program.js';

declare const harden: <T>(x: T) => T;

const UTCB_WORDS = 64;
/* the client's selector for the server's portal, and the portal's id */
const PORTAL_SEL = 5;
const PORTAL_ID = 42;

class Ec {
  readonly utcb = new Uint32Array(UTCB_WORDS);
  /** The client whose call this EC serves. */
  caller: Ec | undefined;
  /** The status of this EC's call, once the server replied. */
  status = -1;
  entry: ((id: number, ec: object) => void) | undefined;
  ref: object | undefined;

  constructor(readonly pd: FloorPd) {}
}

class Portal {
  constructor(readonly ec: Ec, readonly id: number) {}
}

interface FloorPd {
  readonly domain: UserDomain;
  readonly meter: Meter;
  readonly portals: Array<Portal | undefined>;
  readonly gate: FloorGate;
  ref(ec: Ec): object;
}

/** Copies the message of `src` to `dst` (its count bounded by the UTCB). */
function copyMessage(src: Uint32Array, dst: Uint32Array): void {
  const n = Math.min(src[0]! & 0xffff, UTCB_WORDS - 1);
  for (let i = 1; i <= n; i++) dst[i] = src[i]!;
  dst[0] = n;
}

function floorPd(label: string, faults: string[]): FloorPd {
  const meter = new Meter(RUNAWAY_TICKS, (e) => domain.fault(e.message));
  /* no CPU to charge: the gate drains the meter as a kernel's does, and the domain counts the ticks */
  const domain = new UserDomain(label, meter, () => {}, (reason) => faults.push(`${label}: ${reason}`));
  domain.id = registerDomain(domain);
  const portals: Array<Portal | undefined> = [];
  const { ref, deref } = opaqueRefs<Ec, object>((ec) => ec.pd.domain === domain, `an EC of ${label}`);
  const gate: FloorGate = harden({
    call(ecRef: object, sel: number): number {
      domain.enterPreemptible();
      const ec = deref(ecRef);
      const pt = portals[word(sel, 'portal selector')];
      if (!pt) return 1;
      const callee = pt.ec;
      if (callee.caller || !callee.entry) return 2;
      copyMessage(ec.utcb, callee.utcb);
      callee.caller = ec;
      ec.status = -1;
      callee.entry(pt.id, callee.ref!);
      /* this floor has no blocking: a server that did not reply at once failed the call */
      if (callee.caller === ec) {
        callee.caller = undefined;
        return 3;
      }
      return ec.status;
    },
    reply(ecRef: object): number {
      domain.enterPreemptible();
      const ec = deref(ecRef);
      const caller = ec.caller;
      if (!caller) return 1;
      ec.caller = undefined;
      copyMessage(ec.utcb, caller.utcb);
      caller.status = 0;
      return 0;
    },
    install(ecRef: object, entry: unknown): number {
      const ec = deref(ecRef);
      ec.entry = domain.resumer2(callback<(id: number, ec: object) => void>(entry, 'entry'));
      return 0;
    },
  });
  return { domain, meter, portals, gate, ref };
}

export interface IsolationFloor {
  nsPerCall: number;
  calls: number;
}

/** Times `calls` null calls through the isolation floor (after as many warm-up calls). */
export async function isolationFloorNs(calls = 1_000_000, warmup = 60_000): Promise<IsolationFloor> {
  const url = new URL('./isolation_floor/program.js', import.meta.url).href;
  const image = await loadProgram('isolation_floor', url, url, boundGlobals());
  const faults: string[] = [];
  const client = floorPd('floor client', faults);
  const server = floorPd('floor server', faults);
  const serverEc = new Ec(server);
  serverEc.ref = server.ref(serverEc);
  const clientEc = new Ec(client);
  client.portals[PORTAL_SEL] = new Portal(serverEc, PORTAL_ID);
  const start = (pd: FloorPd, role: string, ec: Ec): unknown => {
    const exports = instantiate(image, pd.meter, {}, pd.domain.id, {});
    let result: unknown;
    pd.domain.upcall(() => {
      result = (exports.start as (...a: unknown[]) => unknown)(role, pd.gate, pd.ref(ec), ec.utcb, PORTAL_SEL);
    });
    return result;
  };
  start(server, 'server', serverEc);
  const run = start(client, 'client', clientEc) as (n: number) => Promise<number>;
  const timed = async (n: number): Promise<number> => {
    let done: Promise<number> | undefined;
    const t0 = process.hrtime.bigint();
    client.domain.upcall(() => { done = run(n); });
    if ((await done) !== n || faults.length > 0) throw new Error(`the isolation floor failed: ${faults.join('; ') || 'calls lost'}`);
    return Number(process.hrtime.bigint() - t0) / n;
  };
  await timed(warmup);
  const nsPerCall = await timed(calls);
  return { nsPerCall, calls };
}
