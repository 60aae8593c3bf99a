/*
 * The server side of RPC: decode the request in the entrypoint thread's message buffer,
 * call the object's function, and write the reply into the same buffer.
 *
 * Capabilities that arrive with a request occupy a slot of the receiver's capability space
 * until released. Those the function did not keep (every `cap` argument, any the request
 * carried beyond its arguments, all of them when the request was refused or the function
 * failed) are released here once the reply is out, so a server's capability space does
 * not grow with the requests it serves (Genode drops them with the request's Msgbuf).
 */
import { Capability, type NativeCapability } from '../capability.js';
import { GenodeError } from '../errors.js';
import type { RpcFunction, RpcInterfaceInfo } from './interface.js';
import { resetMsg, type MsgBuffer } from './msgbuf.js';
import { ReplyCode, EXCEPTION_NAME_MAX, EXCEPTION_TEXT_MAX } from './protocol.js';
import { MsgReader, MsgWriter, none, str } from './types.js';
import { utf8Length } from '../util/utf8.js';

const NO_ARGS: unknown[] = [];

/* decoding and encoding are synchronous and never nested: one reader and writer serve all */
const reader = new MsgReader(undefined as unknown as MsgBuffer);
const writer = new MsgWriter(undefined as unknown as MsgBuffer);

const excName = str(EXCEPTION_NAME_MAX);
const excText = str(EXCEPTION_TEXT_MAX);

function clip(text: string): string {
  /* keep the reply within the smallest kernel's message registers */
  let out = text;
  while (utf8Length(out) > EXCEPTION_TEXT_MAX) out = out.slice(0, out.length - 8);
  return out;
}

function replyError(msg: MsgBuffer, code: ReplyCode, name: string, text: string): void {
  resetMsg(msg);
  const w = new MsgWriter(msg);
  w.what = 'reply';
  w.word(code);
  if (code === ReplyCode.EXCEPTION) excName.write(w, name.slice(0, EXCEPTION_NAME_MAX));
  excText.write(w, clip(text));
}

/**
 * Writes an error reply: for a request the glue or the entrypoint refuses before any
 * function runs (unknown object, forged badge, truncated message, a reply that does not fit).
 */
export function writeErrorReply(msg: MsgBuffer, text: string): void {
  replyError(msg, ReplyCode.ERROR, '', text);
}

/** Reports errors that a server function raised without declaring them. */
export type UndeclaredErrorReport = (what: string, error: unknown) => void;

/** Drops a capability the receiver got in a message (the backend's ComponentRuntime.release). */
export type CapRelease = (cap: Capability<unknown>) => void;

/** The capabilities of `msg` except those whose bit is set in `kept` (copied: the buffer is reused). */
export function receivedCaps(msg: MsgBuffer, kept = 0): NativeCapability[] | undefined {
  const caps = msg.caps;
  let out: NativeCapability[] | undefined;
  for (let i = 0; i < caps.length; i++) {
    const c = caps[i];
    if (c !== undefined && (i >= 31 || (kept & (1 << i)) === 0)) (out ??= []).push(c);
  }
  return out;
}

/** Releases capabilities collected with `receivedCaps`. */
export function releaseCaps(caps: NativeCapability[] | undefined, release: CapRelease | undefined): void {
  if (!caps || !release) return;
  for (const c of caps) release(new Capability(c));
}

/**
 * Handles one request for `obj` (`methods`: its functions by opcode, looked up once by the
 * entrypoint); calls `done` (or resolves the returned promise) once the
 * reply is in `msg`. Never throws: every failure becomes an error reply, so a
 * bad request or a buggy function cannot take the entrypoint down. With `release`, the
 * request's capabilities that the function did not keep are released after the reply.
 */
export function dispatch(
  info: RpcInterfaceInfo,
  obj: Record<string, unknown>,
  msg: MsgBuffer,
  report: UndeclaredErrorReport,
  done?: () => void,
  methods?: ReadonlyArray<unknown>,
  release?: CapRelease,
): Promise<void> | undefined {
  let fn: RpcFunction | undefined;
  let args: unknown[];
  /* nothing to release in the common case: no array per request */
  const all = msg.caps.length === 0 ? undefined : receivedCaps(msg);
  let lent: NativeCapability[] | undefined;
  try {
    /* a request that cannot be decoded is the caller's fault: it gets an error, the server no report */
    const r = reader.reset(msg);
    const opcode = r.word();
    fn = info.functions[opcode];
    if (!fn) throw new GenodeError(`${info.name} has no function with opcode ${opcode}`);
    const n = fn.args.length;
    /* a packed array: stores into the holes of new Array(n) cost more in the locked-down realm */
    args = n === 0 ? NO_ARGS : [];
    for (let i = 0; i < n; i++) args.push(fn.args[i]!.read(r));
    if (all) lent = receivedCaps(msg, r.kept);
  } catch (e) {
    replyError(msg, ReplyCode.ERROR, '', `${fn?.what ?? info.name}: ${(e as Error).message}`);
    return finished(done, all, release);
  }
  let pending: unknown;
  try {
    const method = methods?.[fn.opcode] ?? obj[fn.name];
    if (typeof method !== 'function') throw new GenodeError(`${fn.what} is not implemented by the server`);
    pending = method.apply(obj, args);
  } catch (e) {
    replyFailure(msg, fn, report, e);
    return finished(done, all, release);
  }
  if (pending instanceof Promise) {
    const f = fn;
    /* with a completion callback the reply goes out from the same microtask: no extra hop */
    if (done) {
      pending.then(
        (r) => { replyResult(msg, f, report, r); done(); releaseCaps(lent, release); },
        (e) => { replyFailure(msg, f, report, e); done(); releaseCaps(all, release); },
      );
      return undefined;
    }
    return pending.then(
      (r) => { replyResult(msg, f, report, r); releaseCaps(lent, release); },
      (e) => { replyFailure(msg, f, report, e); releaseCaps(all, release); },
    );
  }
  /* answered right away: no closure, no promise */
  replyResult(msg, fn, report, pending);
  return finished(done, lent, release);
}

function replyResult(msg: MsgBuffer, fn: RpcFunction, report: UndeclaredErrorReport, result: unknown): void {
  resetMsg(msg);
  /* every kernel's buffer has room for the reply code; a void result needs no writer */
  msg.words[0] = ReplyCode.OK;
  msg.length = 1;
  if (fn.result === none) return;
  try {
    fn.result.write(writer.reset(msg, fn.what), result);
  } catch (e) {
    report(fn.what, e);
    replyError(msg, ReplyCode.ERROR, '', `server could not marshal the result: ${(e as Error).message}`);
  }
}

/** A declared exception crosses to the caller; anything else is reported here and becomes an error. */
function replyFailure(msg: MsgBuffer, fn: RpcFunction, report: UndeclaredErrorReport, e: unknown): void {
  const err = e as Error;
  if (e instanceof GenodeError && fn.throws.has(err.name)) {
    replyError(msg, ReplyCode.EXCEPTION, err.name, err.message);
  } else {
    report(fn.what, e);
    replyError(msg, ReplyCode.ERROR, '', `${err?.name ?? 'Error'}: ${err?.message ?? String(e)}`);
  }
}

function finished(done: (() => void) | undefined, caps: NativeCapability[] | undefined, release: CapRelease | undefined): Promise<void> | undefined {
  if (!done) {
    releaseCaps(caps, release);
    return Promise.resolve();
  }
  done();
  releaseCaps(caps, release);
  return undefined;
}
