/* The malformed-messages test's service: functions with one argument of every kind. */
import type { Capability } from '../../capability.js';
import { rpc, rpcInterface } from '../../rpc/interface.js';
import { bool, cap, int, list, str, struct } from '../../rpc/types.js';

export interface TargetStats {
  /** Names in the server's capability space, -1 on a kernel without one per component. */
  capSpace: number;
  ramUsed: number;
  capUsed: number;
  sessions: number;
}

@rpcInterface('Malformed_test')
export abstract class MalformedTarget {
  static readonly service = 'Malformed_test';
  static readonly RAM_QUOTA = 16 * 1024;
  static readonly CAP_QUOTA = 4;

  @rpc({ args: [str(64)], result: str(64) }) abstract echo: (text: string) => Promise<string>;
  @rpc({ args: [int, int], result: int }) abstract add: (a: number, b: number) => Promise<number>;
  @rpc({ args: [bool], result: bool }) abstract not: (v: boolean) => Promise<boolean>;
  @rpc({ args: [list(int, 8)], result: int }) abstract count: (v: number[]) => Promise<number>;
  /** Whether the capability arrived (it is lent for the call). */
  @rpc({ args: [cap], result: bool }) abstract take: (c: Capability<unknown>) => Promise<boolean>;
  @rpc({ result: struct<TargetStats>({ capSpace: int, ramUsed: int, capUsed: int, sessions: int }) })
  abstract stats: () => Promise<TargetStats>;
}
