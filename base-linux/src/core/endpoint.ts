/*
 * Who takes part in linux IPC, as core sees it: parties (core itself, every PD for its main
 * thread, and every further thread of a PD) call, endpoints (core's entrypoint and every started entrypoint thread of a PD) serve.
 */
import type { Token } from '../lib/token.js';

export interface Party {
  /** 0 is core. */
  readonly id: number;
  readonly label: string;
  /** False once the party's isolate is gone (crashed, killed or destroyed). */
  readonly alive: boolean;
  /** For a thread's party: the PD it belongs to (its channels go with the PD). */
  readonly pd?: Party;
}

export interface Endpoint {
  readonly id: number;
  readonly owner: Party;
  /** The word clients ring after writing a request. */
  readonly doorbell: SharedArrayBuffer;
  /** Hands the endpoint the server end of a new channel. */
  attach(channel: number, sab: SharedArrayBuffer): void;
  /** Tells the endpoint that a channel is closed. */
  detach(channel: number): void;
  /** Tells the endpoint that core revoked an object it served. */
  unserve(token: Token): void;
}
