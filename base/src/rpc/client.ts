/*
 * The client side of RPC: a proxy object per capability whose methods marshal their
 * arguments into the caller's message buffer, let the kernel carry the call, and unmarshal
 * the reply or re-throw the declared exception.
 */
import { Capability } from '../capability.js';
import { errorClassByName, InvalidCapability, IpcError, UndeclaredServerError } from '../errors.js';
import { receivedCaps, releaseCaps, type CapRelease } from './dispatch.js';
import { interfaceInfo, type InterfaceClass, type RpcFunction } from './interface.js';
import type { MsgBuffer } from './msgbuf.js';
import { ReplyCode, EXCEPTION_NAME_MAX, EXCEPTION_TEXT_MAX } from './protocol.js';
import { MsgReader, MsgWriter, str } from './types.js';

/** What a backend provides to make calls: a thread with a message buffer. */
export interface IpcCaller {
  /**
   * Runs one call: `fill` writes the request into the thread's buffer, the kernel carries it
   * to `dst`, and `take` reads the reply from the same buffer. Calls of one component are
   * serialised per thread by the backend.
   */
  call<R>(dst: Capability<unknown>, fill: (msg: MsgBuffer) => void, take: (msg: MsgBuffer) => R): Promise<R>;

  /**
   * Optional fast path for one RPC function: the same as `call` with the standard
   * (un)marshalling, and as `invoke` below for an invalid capability.
   */
  invoke?(dst: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown>;

  /** Drops a capability that arrived in a reply and was not taken (the backend's release). */
  release?(cap: Capability<unknown>): void;
}

const excName = str(EXCEPTION_NAME_MAX);
const excText = str(EXCEPTION_TEXT_MAX);

/* marshalling is synchronous and never nested, so one writer and one reader serve every call */
const writer = new MsgWriter(undefined as unknown as MsgBuffer);
const reader = new MsgReader(undefined as unknown as MsgBuffer);

export function marshalRequest(fn: RpcFunction, args: unknown[], msg: MsgBuffer): void {
  if (args.length !== fn.args.length) {
    throw new IpcError(`${fn.what} takes ${fn.args.length} argument(s), got ${args.length}`);
  }
  /* every kernel's buffer has room for the opcode; a call without arguments needs no writer */
  msg.words[0] = fn.opcode;
  msg.length = 1;
  if (args.length === 0) return;
  const w = writer.reset(msg, fn.what);
  for (let i = 0; i < fn.args.length; i++) {
    w.arg = i + 1;
    fn.args[i]!.write(w, args[i]);
  }
}

/**
 * Reads the reply to `fn`. Capabilities in it that the result does not take (all of them
 * for an exception or an error) are released with `release`: a server cannot fill the
 * caller's capability space by attaching some.
 */
export function unmarshalReply(fn: RpcFunction, msg: MsgBuffer, release?: CapRelease): unknown {
  const r = reader.reset(msg);
  if (msg.caps.length === 0 || !release) return readReply(fn, r);
  let result: unknown;
  try {
    result = readReply(fn, r);
  } catch (e) {
    releaseCaps(receivedCaps(msg), release);
    throw e;
  }
  releaseCaps(receivedCaps(msg, r.used), release);
  return result;
}

function readReply(fn: RpcFunction, r: MsgReader): unknown {
  const code = r.word();
  if (code === ReplyCode.OK) return fn.result.read(r);
  if (code === ReplyCode.EXCEPTION) {
    const name = excName.read(r);
    const text = excText.read(r);
    const cls = fn.throws.get(name) ?? errorClassByName(name);
    if (cls && fn.throws.has(name)) throw new cls(text);
    throw new UndeclaredServerError(`${fn.what} raised undeclared ${name}: ${text}`);
  }
  if (code === ReplyCode.ERROR) throw new IpcError(`${fn.what}: ${excText.read(r)}`);
  throw new IpcError(`${fn.what}: malformed reply code ${code}`);
}

/** Invokes one RPC function on a capability. */
export function invoke(caller: IpcCaller, dst: Capability<unknown>, fn: RpcFunction, args: unknown[]): Promise<unknown> {
  if (!dst.valid) return invalidCapability(fn);
  if (caller.invoke) return caller.invoke(dst, fn, args);
  const release = caller.release?.bind(caller);
  return caller.call(dst, (msg) => marshalRequest(fn, args, msg), (msg) => unmarshalReply(fn, msg, release));
}

/** The failed call of `fn` on an invalid capability (an IpcCaller's `invoke` answers so too). */
export function invalidCapability(fn: RpcFunction): Promise<never> {
  return Promise.reject(new InvalidCapability(`${fn.what} called on an invalid capability`));
}

/* a caller with the RPC fast path, as the stubs call it: a caller without one goes through invoke() */
type Invoker = Required<Pick<IpcCaller, 'invoke'>>;

function invoker(caller: IpcCaller): Invoker {
  if (caller.invoke) return caller as Invoker;
  return { invoke: (dst, fn, args) => invoke(caller, dst, fn, args) };
}

const NO_ARGS = Object.freeze([]) as unknown as unknown[];

/*
 * A client's functions are closures over its caller and capability, not methods of a
 * class per interface: the functions of every client share V8's type feedback, and with
 * `this.caller` read from objects of a dozen classes it gave up on caching the lookup.
 * A call with the declared number of arguments (up to two) makes no rest array; any other
 * count goes on to marshalRequest's check as it came. The stub calls the caller's fast path
 * itself, which checks the capability's validity on its way.
 */
function stub(caller: Invoker, cap: Capability<unknown>, fn: RpcFunction): (...args: unknown[]) => Promise<unknown> {
  switch (fn.args.length) {
    case 0:
      return function () {
        return caller.invoke(cap, fn, arguments.length === 0 ? NO_ARGS : Array.from(arguments));
      };
    case 1:
      return function (a: unknown) {
        return caller.invoke(cap, fn, arguments.length === 1 ? [a] : Array.from(arguments));
      };
    case 2:
      return function (a: unknown, b: unknown) {
        return caller.invoke(cap, fn, arguments.length === 2 ? [a, b] : Array.from(arguments));
      };
    default:
      return (...args: unknown[]) => caller.invoke(cap, fn, args);
  }
}

/** A typed proxy for `cap` (Genode's Rpc_client<IF>): a function per RPC function, and the capability. */
export function rpcClient<T>(iface: InterfaceClass<T>, cap: Capability<T>, caller: IpcCaller): T & { readonly cap: Capability<T> } {
  const client = {};
  const via = invoker(caller);
  Object.defineProperty(client, 'cap', { value: cap, enumerable: true });
  for (const fn of interfaceInfo(iface).functions) Object.defineProperty(client, fn.name, { value: stub(via, cap, fn) });
  return client as T & { readonly cap: Capability<T> };
}
