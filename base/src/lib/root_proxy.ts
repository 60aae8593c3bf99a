/*
 * The server side of the parent's session requests (Genode's Root_proxy): fetches what the
 * parent routed to this component's announced services, hands each request to the root of
 * its service and answers the parent when the root is done. The requests of one service
 * are handled in order, as by one entrypoint; a root that hangs delays its own service only.
 */
import type { Capability } from '../capability.js';
import { ServerOp, SessionState, type ServerRequest } from '../session/parent/session.js';
import type { Root } from '../session/root/session.js';
import type { Env } from './env.js';
import { reasonOf, stateOfError } from './parent_server.js';

interface Service {
  root: Root;
  /** The end of this service's queue of requests. */
  tail: Promise<void>;
}

const proxies = new WeakMap<Env, RootProxy>();

export class RootProxy {
  private readonly services = new Map<string, Service>();
  /** Open sessions by the parent's request id. */
  private readonly sessions = new Map<number, { service: Service; cap: Capability<unknown> }>();
  private started: Promise<void> | undefined;

  private constructor(private readonly env: Env) {}

  /** The component's proxy (one per component). */
  static of(env: Env): RootProxy {
    let p = proxies.get(env);
    if (!p) proxies.set(env, (p = new RootProxy(env)));
    return p;
  }

  /** Makes `service` known to the parent, served by `root`. */
  async announce(service: string, root: Root): Promise<void> {
    const existing = this.services.get(service);
    if (existing) existing.root = root;
    else this.services.set(service, { root, tail: Promise.resolve() });
    this.started ??= this.start();
    await this.started;
    await this.env.parent.announce(service);
  }

  private async start(): Promise<void> {
    const h = await this.env.signalHandler(() => this.fetchAll());
    await this.env.parent.serverSigh(h.cap);
  }

  /** Fetches every waiting request; the signal handler runs one delivery at a time. */
  private async fetchAll(): Promise<void> {
    try {
      /* a component that exited fetches nothing more (its parent may be tearing it down) */
      while (!this.env.exited) {
        const req = await this.env.parent.serverRequest();
        if (req.op === ServerOp.NONE) return;
        const args = req.op === ServerOp.CLOSE ? '' : await this.env.parent.serverArgs(req.id);
        this.dispatch(req, args);
      }
    } catch (e) {
      /* a fetch in flight when the component exited fails with the parent's object gone: no fault */
      if (!this.env.exited) throw e;
    }
  }

  private dispatch(req: ServerRequest, args: string): void {
    const parent = this.env.parent;
    const answer = (state: SessionState, reason: string) => parent.serverResponse(req.id, state, reason);
    let service: Service | undefined;
    let work: () => Promise<void>;
    switch (req.op) {
      case ServerOp.CREATE:
        service = this.services.get(req.service);
        work = async () => {
          let cap: Capability<unknown>;
          try {
            cap = await service!.root.session(args);
          } catch (e) {
            await answer(stateOfError(e), reasonOf(e));
            return;
          }
          this.sessions.set(req.id, { service: service!, cap });
          await parent.deliverSession(req.id, cap);
        };
        break;
      case ServerOp.UPGRADE: {
        const s = this.sessions.get(req.id);
        service = s?.service;
        work = async () => {
          try {
            await s!.service.root.upgrade(s!.cap, args);
          } catch (e) {
            await answer(SessionState.DENIED, reasonOf(e));
            return;
          }
          await answer(SessionState.AVAILABLE, '');
        };
        break;
      }
      case ServerOp.CLOSE: {
        const s = this.sessions.get(req.id);
        service = s?.service;
        work = async () => {
          this.sessions.delete(req.id);
          await s!.service.root.close(s!.cap).catch(() => {});
          await answer(SessionState.CLOSED, '');
        };
        break;
      }
      default:
        return;
    }
    if (!service) {
      const what = req.op === ServerOp.CREATE ? `no service "${req.service}" here` : `no session with id ${req.id}`;
      void answer(req.op === ServerOp.CLOSE ? SessionState.CLOSED : SessionState.DENIED, what).catch(this.report);
      return;
    }
    service.tail = service.tail.then(work).catch(this.report);
  }

  private readonly report = (e: unknown): void => {
    this.env.runtime.diag(`Warning: answering a session request of the parent failed: ${reasonOf(e)}`);
  };
}
