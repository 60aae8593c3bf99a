/*
 * RPC interfaces declared with decorators (Genode's GENODE_RPC / GENODE_RPC_INTERFACE).
 *
 *   @rpcInterface('LOG')
 *   export abstract class LogSession {
 *     @rpc({ args: [str(232)], result: int }) abstract write: (text: string) => Promise<number>;
 *   }
 *
 * Functions get opcodes in declaration order, base-interface functions first, so a derived
 * interface extends its base as GENODE_RPC_INTERFACE_INHERIT does. The declarations are kept
 * as reflect-metadata on the class.
 */
import 'reflect-metadata';
import type { ErrorClass } from '../errors.js';
import { none, type RpcType } from './types.js';

const FUNCTIONS = Symbol.for('genode.rpc.functions');
const NAME = Symbol.for('genode.rpc.interface');

export interface RpcDeclaration {
  args?: RpcType<any>[];
  result?: RpcType<any>;
  throws?: ErrorClass[];
}

export interface RpcFunction {
  readonly name: string;
  readonly opcode: number;
  readonly args: RpcType<any>[];
  readonly result: RpcType<any>;
  readonly throws: ReadonlyMap<string, ErrorClass>;
  /** "LOG.write", for messages. */
  readonly what: string;
}

export interface RpcInterfaceInfo {
  readonly name: string;
  readonly functions: RpcFunction[];
  readonly byName: ReadonlyMap<string, RpcFunction>;
}

/**
 * What a server implements for interface T: each function may answer right away or with a
 * promise (an answer right away leaves the entrypoint without an extra microtask).
 */
export type Server<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R | Promise<R> : T[K];
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type InterfaceClass<T = any> = abstract new (...args: any[]) => T;

interface PendingFunction { name: string; decl: RpcDeclaration }

export function rpcInterface(name: string) {
  return (cls: InterfaceClass): void => {
    Reflect.defineMetadata(NAME, name, cls);
  };
}

export function rpc(decl: RpcDeclaration = {}) {
  return (proto: object, property: string): void => {
    const own: PendingFunction[] = Reflect.getOwnMetadata(FUNCTIONS, proto) ?? [];
    own.push({ name: property, decl });
    Reflect.defineMetadata(FUNCTIONS, own, proto);
  };
}

const infoCache = new WeakMap<InterfaceClass, RpcInterfaceInfo>();

export function interfaceInfo(cls: InterfaceClass): RpcInterfaceInfo {
  const cached = infoCache.get(cls);
  if (cached) return cached;
  const name: string | undefined = Reflect.getOwnMetadata(NAME, cls);
  if (!name) throw new Error(`${cls.name} is not declared with @rpcInterface`);

  /* collect functions from the base-most prototype down */
  const chain: object[] = [];
  for (let p = cls.prototype; p && p !== Object.prototype; p = Object.getPrototypeOf(p)) chain.unshift(p);
  const functions: RpcFunction[] = [];
  for (const proto of chain) {
    const own: PendingFunction[] = Reflect.getOwnMetadata(FUNCTIONS, proto) ?? [];
    for (const { name: fname, decl } of own) {
      functions.push({
        name: fname,
        opcode: functions.length,
        args: decl.args ?? [],
        result: decl.result ?? none,
        throws: new Map((decl.throws ?? []).map((e) => [e.name, e])),
        what: `${name}.${fname}`,
      });
    }
  }
  const info = { name, functions, byName: new Map(functions.map((f) => [f.name, f])) };
  infoCache.set(cls, info);
  return info;
}
