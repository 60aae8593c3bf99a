/*
 * The entrypoint: makes local objects reachable by RPC (Genode's Rpc_entrypoint).
 * `manage` gets a fresh capability from core bound to this entrypoint's thread, so each
 * object costs its owner one capability of quota, and `dissolve` hands it back.
 */
import { Capability } from '../capability.js';
import { GenodeError } from '../errors.js';
import { dispatch, receivedCaps, releaseCaps, writeErrorReply, type UndeclaredErrorReport } from '../rpc/dispatch.js';
import { interfaceInfo, type InterfaceClass, type RpcInterfaceInfo, type Server } from '../rpc/interface.js';
import type { MsgBuffer } from '../rpc/msgbuf.js';

/** How an entrypoint obtains and returns capabilities for its objects. */
export interface RpcCapFactory {
  alloc(): Promise<{ cap: Capability<unknown>; key: number | string }>;
  free(cap: Capability<unknown>): Promise<void>;
  /** Drops a capability that arrived in a request (absent where nothing needs releasing). */
  release?(cap: Capability<unknown>): void;
}

interface Managed {
  obj: object;
  /** The object's functions by opcode, looked up once when it is managed. */
  methods: unknown[];
  info: RpcInterfaceInfo;
  iface: InterfaceClass;
  cap: Capability<unknown>;
}

export class Entrypoint {
  private readonly byKey = new Map<number | string, Managed>();
  private readonly byObject = new Map<object, number | string>();

  private readonly releaseCap: ((cap: Capability<unknown>) => void) | undefined;

  constructor(private readonly factory: RpcCapFactory, private readonly report: UndeclaredErrorReport) {
    this.releaseCap = factory.release?.bind(factory);
  }

  /**
   * Drops a capability a request brought that the server kept (a `keptCap` argument) once
   * it no longer needs it: a replaced signal handler, a closed session's, a gone child's.
   */
  release(cap: Capability<unknown> | undefined): void {
    if (cap?.valid) this.releaseCap?.(cap);
  }

  async manage<T extends object>(iface: InterfaceClass<T>, obj: object & Partial<Server<T>>): Promise<Capability<T>> {
    if (this.byObject.has(obj)) throw new GenodeError(`object is already managed by this entrypoint`);
    const info = interfaceInfo(iface);
    const { cap, key } = await this.factory.alloc();
    const methods = info.functions.map((f) => (obj as Record<string, unknown>)[f.name]);
    this.byKey.set(key, { obj, methods, info, iface, cap });
    this.byObject.set(obj, key);
    return cap as Capability<T>;
  }

  async dissolve(obj: object): Promise<void> {
    const key = this.byObject.get(obj);
    if (key === undefined) return;
    const m = this.byKey.get(key)!;
    this.byKey.delete(key);
    this.byObject.delete(obj);
    await this.factory.free(m.cap);
  }

  /** The local object behind `cap`, if this entrypoint serves it as `iface` (Genode's ep.apply). */
  lookup<T>(cap: Capability<unknown>, iface: InterfaceClass<T>): T | undefined {
    const key = cap.native?.key;
    if (key === undefined) return undefined;
    const m = this.byKey.get(key);
    return m && m.iface === iface ? (m.obj as T) : undefined;
  }

  /** The local object behind `cap` if it is an instance of `cls` (core's way to find its session objects). */
  local<C>(cap: Capability<unknown>, cls: abstract new (...args: any[]) => C): C | undefined {
    const key = cap.native?.key;
    if (key === undefined) return undefined;
    const obj = this.byKey.get(key)?.obj;
    return obj instanceof cls ? (obj as C) : undefined;
  }

  capOf(obj: object): Capability<unknown> | undefined {
    const key = this.byObject.get(obj);
    return key === undefined ? undefined : this.byKey.get(key)?.cap;
  }

  get objectCount(): number {
    return this.byKey.size;
  }

  /** Serves one request (the backend calls this on the entrypoint thread). */
  readonly handle = (key: number | string, msg: MsgBuffer, done?: () => void): Promise<void> | undefined => {
    const m = this.byKey.get(key);
    if (!m) {
      /* whatever capabilities the request brought go back: nobody will use them */
      const caps = receivedCaps(msg);
      writeErrorReply(msg, 'no object behind this capability (it was dissolved)');
      if (done) done();
      releaseCaps(caps, this.releaseCap);
      return done ? undefined : Promise.resolve();
    }
    return dispatch(m.info, m.obj as Record<string, unknown>, msg, this.report, done, m.methods, this.releaseCap);
  };
}
