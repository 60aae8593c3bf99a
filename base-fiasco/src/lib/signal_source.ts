/*
 * The signal source as core serves it on Fiasco.OC (Genode's Signal_source RPC object):
 * the receiver asks once for the IRQ object core triggers on every submit, blocks on it,
 * and after each wake-up fetches the next pending signal (imprint 0: none pending).
 */
import type { Capability } from '../../../base/src/capability.js';
import { rpc, rpcInterface } from '../../../base/src/rpc/interface.js';
import { cap, int, struct } from '../../../base/src/rpc/types.js';

export interface PendingSignal {
  imprint: number;
  count: number;
}

@rpcInterface('Foc_signal_source')
export abstract class FocSignalSource {
  /** The IRQ object core triggers when a context of this source gets a signal. */
  @rpc({ result: cap }) abstract requestSemaphore: () => Promise<Capability<unknown>>;
  /** Dequeues the next signalled context with its coalesced count. */
  @rpc({ result: struct<PendingSignal>({ imprint: int, count: int }) }) abstract waitForSignal: () => Promise<PendingSignal>;
}
