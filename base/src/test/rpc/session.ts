/* The interface the rpc test exercises: every argument type, a capability argument, exceptions. */
import type { Capability } from '../../capability.js';
import { GenodeError, registerError } from '../../errors.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, bytes, cap, int, list, str, struct } from '../../rpc/types.js';

/** A declared, interface-specific exception. */
export class TestFailure extends GenodeError {}
registerError(TestFailure);

@rpcInterface('Test_callback')
export abstract class Callback {
  @rpc({ args: [int], result: int }) abstract ping: (n: number) => Promise<number>;
}

export interface Pair { a: number; b: string }

@rpcInterface('Test')
export abstract class TestSession {
  static readonly service = 'Test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  @rpc({ args: [int, int], result: int }) abstract add: (a: number, b: number) => Promise<number>;
  @rpc({ args: [bool], result: bool }) abstract negate: (b: boolean) => Promise<boolean>;
  @rpc({ args: [str(200)], result: str(200) }) abstract reverse: (s: string) => Promise<string>;
  @rpc({ args: [bytes(512)], result: bytes(512) }) abstract xor: (b: Uint8Array) => Promise<Uint8Array>;
  @rpc({ args: [list(int, 16)], result: struct<Pair>({ a: int, b: str(64) }) }) abstract summarize: (xs: number[]) => Promise<Pair>;
  /** Calls `cb.ping(n)` from the server and returns its answer: a capability passed and used. */
  @rpc({ args: [cap, int], result: int }) abstract callBack: (cb: Capability<Callback>, n: number) => Promise<number>;
  /** Returns a capability the server made, to be used by the client. */
  @rpc({ result: cap }) abstract makeCallback: () => Promise<Capability<Callback>>;
  @rpc({ args: [int], throws: [TestFailure] }) abstract fail: (code: number) => Promise<void>;
  /** Throws an exception the interface does not declare. */
  @rpc({ args: [] }) abstract failUndeclared: () => Promise<void>;
}
