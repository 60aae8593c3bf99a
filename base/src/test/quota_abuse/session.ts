/*
 * The quota-abuse test's service: sessions that allocate on their client's behalf (the
 * attack surface of a server-side heap), and a referee that lets the hostile and the honest
 * client take turns without a timer: each watches it with a signal and reads its state.
 */
import { BadArgument, OutOfCaps, OutOfRam } from '../../errors.js';
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { cap, int, keptCap } from '../../rpc/types.js';
import type { SignalContext } from '../../session/signal/session.js';
import { quotaType, type Quota } from '../../session/pd/session.js';

/** Who does what when: the clients advance the stage and poll it. */
export const enum Stage {
  /** The honest client opened its sessions and waits. */
  SETUP = 0,
  /** The hostile client took its "before" figures and attacks; the honest one cycles sessions. */
  ATTACK = 1,
  /** The hostile client holds its flood of uncollected requests; the honest one cycles sessions. */
  FLOOD_HELD = 2,
  /** The hostile client is done; the honest one takes its "after" figures. */
  ATTACK_DONE = 3,
  /** The honest client closed its last cycle: the "after" figures can be taken. */
  HONEST_DONE = 4,
}

/** Session cycles the honest client makes in each of the stages ATTACK and FLOOD_HELD. */
export const HONEST_CYCLES = 5;

@rpcInterface('Abuse_test')
export abstract class AbuseTestSession {
  static readonly service = 'Abuse_test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  /** Allocates `bytes` of session state from the session's sliced heap. */
  @rpc({ args: [int], throws: [OutOfRam, OutOfCaps, BadArgument] }) abstract grow: (bytes: number) => Promise<void>;
  /** Allocates `bytes` from the session's chunked heap. */
  @rpc({ args: [int], throws: [OutOfRam, OutOfCaps, BadArgument] }) abstract carve: (bytes: number) => Promise<void>;

  /**
   * The server's own quota: its PD's, less the budgets of its open sessions (what clients
   * donated and what is used of that). It must not change whatever clients do.
   */
  @rpc({ result: quotaType }) abstract serverQuota: () => Promise<Quota>;
  /** This session's budget (what the client donated and what is used of it). */
  @rpc({ result: quotaType }) abstract sessionQuota: () => Promise<Quota>;

  /* the referee, shared by all sessions: see Stage */
  @rpc({ result: int }) abstract stage: () => Promise<number>;
  @rpc({ args: [int] }) abstract advance: (stage: number) => Promise<void>;
  /** Counts a step of the honest client (ready, then each cycle during FLOOD_HELD) and returns the count. */
  @rpc({ result: int }) abstract tick: () => Promise<number>;
  @rpc({ result: int }) abstract ticks: () => Promise<number>;
  /** Submits `sigh` whenever the stage or the count changes. */
  @rpc({ args: [keptCap] }) abstract watch: (sigh: Capability<SignalContext>) => Promise<void>;
}
