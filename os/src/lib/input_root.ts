/*
 * The Input service of an input driver: every session gets every event the driver
 * submits, queued until the client flushes them through its event buffer (paid from its
 * session quota). A client that never flushes loses the newest events beyond the
 * queue's bound rather than growing the driver's memory.
 */
import type { Capability } from '../../../base/src/capability.js';
import type { Env } from '../../../base/src/lib/env.js';
import { RootComponent, type SessionContext } from '../../../base/src/lib/root_component.js';
import type { SignalContext } from '../../../base/src/session/signal/session.js';
import { EVENT_BYTES, writeEvent, type InputEvent } from '../session/input/event.js';
import { InputSession } from '../session/input/session.js';
import { SessionDataspace } from './session_dataspace.js';

export const MAX_QUEUED_EVENTS = 1024;

export class InputSessionComponent implements InputSession {
  queue: InputEvent[] = [];
  dropped = 0;
  sighCap: Capability<SignalContext> | undefined;

  constructor(private readonly env: Env, readonly buffer: SessionDataspace) {}

  /** Queues events; signals the client if it has anything new. */
  submit(events: InputEvent[]): void {
    const room = MAX_QUEUED_EVENTS - this.queue.length;
    this.queue.push(...events.slice(0, room));
    this.dropped += Math.max(0, events.length - room);
    if (this.sighCap && events.length > 0) void this.env.submit(this.sighCap);
  }

  dataspace = async () => this.buffer.ds;

  pending = async () => this.queue.length > 0;

  flush = async () => {
    const n = Math.min(this.queue.length, Math.floor(this.buffer.size / EVENT_BYTES));
    for (let i = 0; i < n; i++) writeEvent(this.buffer.bytes, i, this.queue[i]!);
    this.queue.splice(0, n);
    return n;
  };

  sigh = async (cap: Capability<SignalContext>) => {
    this.env.ep.release(this.sighCap);
    this.sighCap = cap.valid ? cap : undefined;
    if (this.sighCap && this.queue.length > 0) void this.env.submit(this.sighCap);
  };
}

export class InputRoot extends RootComponent<InputSession> {
  private readonly sessions = new Set<InputSessionComponent>();

  constructor(env: Env) {
    super(env, InputSession, InputSession.service);
  }

  protected async createSession(ctx: SessionContext): Promise<InputSession> {
    const s = new InputSessionComponent(this.env, await SessionDataspace.create(this.env, ctx.quota, InputSession.BUFFER_BYTES));
    this.sessions.add(s);
    return s;
  }

  protected override async destroySession(session: InputSession): Promise<void> {
    const s = session as InputSessionComponent;
    this.sessions.delete(s);
    this.env.ep.release(s.sighCap);
    await s.buffer.destroy();
  }

  /** Hands events to every session. */
  submit(events: InputEvent[]): void {
    if (events.length === 0) return;
    for (const s of this.sessions) s.submit(events);
  }
}
