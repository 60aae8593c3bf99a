/*
 * Signals on Fiasco.OC go through core (Genode's Signal_source_component and signal
 * contexts). A signal source is an RPC object of core with an IRQ object; a context is an
 * IPC gate of core whose badge names it. Submitting to a context queues it at its source
 * (coalescing the count) and triggers the source's IRQ; the receiver, woken by the IRQ,
 * asks the source for the next queued context (imprint and count).
 */
import { Capability } from '../../../base/src/capability.js';
import { dispatch } from '../../../base/src/rpc/dispatch.js';
import { interfaceInfo } from '../../../base/src/rpc/interface.js';
import type { MsgBuffer } from '../../../base/src/rpc/msgbuf.js';
import { L4_BASE_FACTORY_CAP } from '../kernel/consts.js';
import { l4_factory_create_gate, l4_factory_create_irq, l4_irq_trigger } from '../kernel/l4sys.js';
import { focCap, type FocCapability } from '../lib/capability.js';
import { FocSignalSource, type PendingSignal } from '../lib/signal_source.js';
import type { CoreEnv } from './core_env.js';

interface Context {
  readonly cap: FocCapability;
  readonly imprint: number;
  readonly source: Source;
  count: number;
  queued: boolean;
}

class Source implements FocSignalSource {
  readonly queue: Context[] = [];
  readonly contexts = new Set<Context>();

  constructor(readonly cap: FocCapability, readonly irq: FocCapability) {}

  requestSemaphore = async (): Promise<Capability<unknown>> => new Capability(this.irq);

  waitForSignal = async (): Promise<PendingSignal> => {
    const c = this.queue.shift();
    if (!c) return { imprint: 0, count: 0 };
    const count = c.count;
    c.count = 0;
    c.queued = false;
    return { imprint: c.imprint, count };
  };
}

const SOURCE_INFO = interfaceInfo(FocSignalSource);

export class SignalBroker {
  private readonly sources = new Map<number, Source>();
  private readonly contexts = new Map<number, Context>();

  constructor(private readonly env: CoreEnv, private readonly epThread: () => number) {}

  /** A gate of core's entrypoint with a fresh badge as label. */
  private gate(): FocCapability {
    const { k, thread, caps, badges } = this.env;
    const badge = badges.alloc();
    const kcap = caps.indices.alloc();
    this.env.check(l4_factory_create_gate(k, thread, L4_BASE_FACTORY_CAP, kcap, this.epThread(), badge), 'creating a signal gate');
    return caps.insert(badge, kcap);
  }

  allocSource(): Capability<unknown> {
    const { k, thread, caps, badges } = this.env;
    const irqKcap = caps.indices.alloc();
    this.env.check(l4_factory_create_irq(k, thread, L4_BASE_FACTORY_CAP, irqKcap), 'creating a signal IRQ');
    const irq = caps.insert(badges.alloc(), irqKcap);
    const s = new Source(this.gate(), irq);
    this.sources.set(s.cap.badge, s);
    return new Capability(s.cap);
  }

  allocContext(source: Capability<unknown>, imprint: number): Capability<unknown> | undefined {
    const s = this.sources.get(focCap(source)?.badge ?? -1);
    if (!s) return undefined;
    const c: Context = { cap: this.gate(), imprint, source: s, count: 0, queued: false };
    s.contexts.add(c);
    this.contexts.set(c.cap.badge, c);
    return new Capability(c.cap);
  }

  /** Frees a context, or a source with all its contexts. */
  free(cap: Capability<unknown>): void {
    const badge = focCap(cap)?.badge ?? -1;
    const c = this.contexts.get(badge);
    if (c) return this.freeContext(c);
    const s = this.sources.get(badge);
    if (!s) return;
    for (const ctx of [...s.contexts]) this.freeContext(ctx);
    this.sources.delete(badge);
    this.drop(s.irq);
    this.drop(s.cap);
  }

  private freeContext(c: Context): void {
    this.contexts.delete(c.cap.badge);
    c.source.contexts.delete(c);
    const i = c.source.queue.indexOf(c);
    if (i >= 0) c.source.queue.splice(i, 1);
    this.drop(c.cap);
  }

  private drop(cap: FocCapability): void {
    this.env.deleteObject(cap.kcap);
    this.env.caps.remove(cap);
    this.env.badges.free(cap.badge);
  }

  submit(cap: Capability<unknown>, count: number): void {
    const c = this.contexts.get(focCap(cap)?.badge ?? -1);
    if (!c) return;
    c.count += count;
    if (!c.queued) {
      c.queued = true;
      c.source.queue.push(c);
    }
    l4_irq_trigger(this.env.k, this.env.thread, c.source.irq.kcap);
  }

  /** Whether `key` names a signal source, which core's entrypoint serves here. */
  serves(key: number | string): boolean {
    return typeof key === 'number' && this.sources.has(key);
  }

  handle(key: number, msg: MsgBuffer, done: () => void, report: (what: string, e: unknown) => void): void {
    dispatch(SOURCE_INFO, this.sources.get(key) as unknown as Record<string, unknown>, msg, report, done);
  }
}
