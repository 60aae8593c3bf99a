/*
 * The two programs of the isolation floor (../isolation_floor.ts), each run metered in a
 * compartment of its own like any component: a client that makes null calls as one
 * synchronous system call each and awaits a promise per call (as an RPC stub's caller
 * does), and a server whose portal entry reads the opcode, calls the function and replies.
 * Nothing else: no stub, no marshalling, no caller queue, no scheduler.
 */

/** What the floor's kernel offers a program (a checked, hardened gate). */
export interface FloorGate {
  /** Calls portal `sel` with the message in `utcb`: the status once the reply is there. */
  call(ec: object, sel: number): number;
  /** Replies to the call the EC serves, from its UTCB. */
  reply(ec: object): number;
  /** Installs the EC's portal entry. */
  install(ec: object, entry: (id: number, ec: object) => void): number;
}

/* the message layout: word 0 the count of the words after it, word 1 the opcode or reply code */
const NULL_CALL = 1;
const OK = 0;
const NO_FUNCTION = 1;

export function construct(): void {}

/**
 * Starts the program as `role`: the client returns its `run(calls)`, which makes that many
 * null calls through portal `sel`; the server installs its entry and returns nothing.
 */
export function start(role: string, gate: FloorGate, ec: object, utcb: Uint32Array, sel: number): unknown {
  if (role === 'server') {
    const obj = { nullCall(): undefined { return undefined; } };
    const functions: Array<(() => unknown) | undefined> = [];
    functions[NULL_CALL] = obj.nullCall;
    gate.install(ec, (_id, self) => {
      const fn = functions[utcb[1]!];
      if (fn) fn.call(obj);
      utcb[1] = fn ? OK : NO_FUNCTION;
      utcb[0] = 1;
      gate.reply(self);
    });
    return undefined;
  }
  const nullCall = (): Promise<undefined> => {
    utcb[0] = 1;
    utcb[1] = NULL_CALL;
    const status = gate.call(ec, sel);
    if (status !== 0 || utcb[1] !== OK) return Promise.reject(new Error(`null call failed: status ${status}, reply ${utcb[1]}`));
    return Promise.resolve(undefined);
  };
  return async (calls: number): Promise<number> => {
    for (let i = 0; i < calls; i++) await nullCall();
    return calls;
  };
}
