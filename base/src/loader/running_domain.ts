/*
 * Which protection domain's code runs: every program notes its domain's number in one
 * shared cell at each function entry, loop iteration and resumption after an await
 * (meter.ts inserts the stores), and the kernel restores the cell after each upcall.
 *
 * The kernel needs it for faults that surface outside any call it made: an unhandled
 * promise rejection. When a promise is created, it is stamped (with a private field, which
 * no component can read or forge) with the domain whose code created it; if it turns out
 * to be rejected with nobody handling it, that domain faulted and ends, nobody else.
 * Creation, not settlement: a rejection that travels up a chain of awaits settles each
 * outer promise without running any of the domain's code (the cell may then name whoever
 * ran last), but every promise of the chain was created by the domain's own code.
 */
import v8 from 'node:v8';
import { describeThrown, type UserDomain } from './user_domain.js';

/** The cell programs write their domain number into (0: none, the kernel). */
export const running = { c: 0 };

const domains = new Map<number, WeakRef<UserDomain>>();
let nextId = 1;

/** Gives `domain` its number (what its program writes into the cell). */
export function registerDomain(domain: UserDomain): number {
  const id = nextId++;
  domains.set(id, new WeakRef(domain));
  if (id % 1024 === 0) {
    for (const [k, ref] of domains) if (!ref.deref()?.alive) domains.delete(k);
  }
  trackRejections();
  return id;
}

/*
 * A private field added to a promise through a constructor that returns it. The
 * constructor is a derived class's that never calls super(): returning an object is
 * allowed then, and no receiver is made only to be dropped (a base class's constructor
 * makes one on every `new`).
 */
class Base {}

class Identity extends Base {
  // @ts-expect-error the receiver is `o`, super() must not make one
  constructor(o: object) {
    return o;
  }
}

class Created extends Identity {
  #domain = 0;

  static stamp(p: object, d: number): void {
    try {
      (new Created(p) as Created).#domain = d;
    } catch {
      /* stamped already (cannot happen for a new promise; kept for safety) */
    }
  }

  static of(p: object): number {
    return #domain in p ? (p as Created).#domain : 0;
  }
}

let tracking = false;

function trackRejections(): void {
  if (tracking) return;
  tracking = true;
  v8.promiseHooks.onInit((p) => {
    if (running.c !== 0) Created.stamp(p, running.c);
  });
  process.on('unhandledRejection', (reason, promise) => {
    const id = Created.of(promise);
    const domain = id ? domains.get(id)?.deref() : undefined;
    if (domain) {
      domain.fault(`unhandled promise rejection: ${describeThrown(reason)}`);
      return;
    }
    process.stderr.write(`Error: unhandled promise rejection outside any component: ${describeThrown(reason)}\n`);
  });
}
