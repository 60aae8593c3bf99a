/*
 * What base/src/loader/fast_paths.ts changes about lockdown: the prototypes it freezes
 * property by property are as frozen as Object.freeze makes them; Array.prototype's
 * Symbol.iterator and Promise.prototype.constructor stay frozen data properties; the standard Object.freeze and
 * Object.defineProperty are back; SES's override taming still lets an object assign other
 * inherited properties as its own; no prototype among the intrinsics is left in V8's slow
 * dictionary mode. (The speed it is for is measured by `npm run bench`.)
 */
import test from 'ava';
import { execFileSync } from 'node:child_process';
import '../../base/src/loader/lockdown.js';

const typedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const PROTOTYPES: Array<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['%TypedArray%.prototype', typedArray.prototype],
  ...[Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array,
    Float64Array, BigInt64Array, BigUint64Array].map((c): [string, object] => [`${c.name}.prototype`, c.prototype]),
  ['Array.prototype', Array.prototype],
];

test('every prototype on a typed array\'s chain is frozen: no property can change, none be added', (t) => {
  for (const [name, proto] of PROTOTYPES) {
    t.true(Object.isFrozen(proto), name);
    t.false(Object.isExtensible(proto), name);
    for (const key of Reflect.ownKeys(proto)) {
      const d = Reflect.getOwnPropertyDescriptor(proto, key)!;
      t.false(d.configurable, `${name}[${String(key)}] configurable`);
      if ('value' in d) t.false(d.writable, `${name}[${String(key)}] writable`);
    }
    t.throws(() => { (proto as Record<string, unknown>).added = 1; }, { instanceOf: TypeError }, name);
    t.false(Reflect.defineProperty(proto, 'added', { value: 1 }), name);
    t.false(Reflect.setPrototypeOf(proto, Object.create(null)), name);
  }
});

test('Object.freeze and Object.defineProperty are the standard ones again', (t) => {
  t.regex(Function.prototype.toString.call(Object.freeze), /\[native code\]/);
  t.regex(Function.prototype.toString.call(Object.defineProperty), /\[native code\]/);
  const o = Object.freeze({ a: 1 });
  t.true(Object.isFrozen(o));
  t.throws(() => { (o as { a: number }).a = 2; }, { instanceOf: TypeError });
});

test('an object still overrides an inherited property by assignment (SES override taming)', (t) => {
  function Base(this: { constructor: unknown }) {
    this.constructor = 'own';
  }
  const o = new (Base as unknown as new () => { constructor: unknown })();
  t.is(o.constructor, 'own');
  const u = new Uint32Array(4) as Uint32Array & { subarray: unknown };
  t.throws(() => { (Uint32Array.prototype as unknown as Record<string, unknown>).subarray = 1; }, { instanceOf: TypeError });
  u[3] = 0xffff_ffff + 2;
  t.is(u[3], 1);
});

test('Array.prototype[Symbol.iterator] is a frozen data property: spreads and derived classes work', (t) => {
  const d = Reflect.getOwnPropertyDescriptor(Array.prototype, Symbol.iterator)!;
  t.is(typeof d.value, 'function');
  t.false(d.writable);
  t.false(d.configurable);
  const sum = (...xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const xs = [1, 2, 3];
  t.is(sum(...xs), 6);
  t.deepEqual([...xs, ...new Set([4])], [1, 2, 3, 4]);
  class Base {
    constructor(readonly a: number, readonly b: number) {}
  }
  class Derived extends Base {}
  const o = new Derived(1, 2);
  t.deepEqual([o.a, o.b], [1, 2]);
  /* the one thing given up: an array cannot take an own iterator by assignment */
  t.throws(() => { (xs as unknown as Record<symbol, unknown>)[Symbol.iterator] = () => undefined; }, { instanceOf: TypeError });
  t.true(Reflect.defineProperty(xs, Symbol.iterator, { value: () => [][Symbol.iterator]() }));
});

test('Promise.prototype.constructor is a frozen data property: an await reads it without a getter', async (t) => {
  const d = Reflect.getOwnPropertyDescriptor(Promise.prototype, 'constructor')!;
  t.is(d.value, Promise);
  t.false(d.writable);
  t.false(d.configurable);
  t.is(await Promise.resolve(7), 7);
  class Later<T> extends Promise<T> {}
  const later = new Later<number>((resolve) => resolve(8));
  t.true(later.then(() => undefined) instanceof Later);
  /* the one thing given up: a promise cannot take an own constructor by assignment */
  t.throws(() => { (Promise.resolve() as unknown as Record<string, unknown>).constructor = Object; }, { instanceOf: TypeError });
});

test('an object inheriting from %IteratorPrototype% still assigns its own Symbol.iterator (tslib does)', (t) => {
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;
  const g = Object.create(iteratorPrototype) as Record<symbol, unknown>;
  const self = function (this: unknown) { return this; };
  g[Symbol.iterator] = self;
  t.is(g[Symbol.iterator], self);
});

/*
 * Instances of the intrinsics that hot code uses, each made the way code makes it (not
 * with Object.create, which would itself make V8 set the prototype up afresh).
 */
const INSTANCES = `{
  Object: {}, Array: [], Function: function () {}, Promise: Promise.resolve(), Error: new Error(),
  TypeError: new TypeError(), RangeError: new RangeError(), Map: new Map(), Set: new Set(), WeakMap: new WeakMap(),
  WeakSet: new WeakSet(), ArrayBuffer: new ArrayBuffer(8), SharedArrayBuffer: new SharedArrayBuffer(8),
  DataView: new DataView(new ArrayBuffer(8)), Int8Array: new Int8Array(1), Uint8Array: new Uint8Array(1),
  Uint8ClampedArray: new Uint8ClampedArray(1), Int16Array: new Int16Array(1), Uint16Array: new Uint16Array(1),
  Int32Array: new Int32Array(1), Uint32Array: new Uint32Array(1), Float32Array: new Float32Array(1),
  Float64Array: new Float64Array(1), BigInt64Array: new BigInt64Array(1), BigUint64Array: new BigUint64Array(1),
  RegExp: /x/, Date: new Date(0), TextEncoder: new TextEncoder(), TextDecoder: new TextDecoder(),
}`;

/**
 * Which prototypes of those instances V8 keeps in its slow dictionary mode once code has
 * loaded properties through them, in a fresh node with lockdown (or without).
 */
function slowPrototypes(lock: boolean): string[] {
  /* V8 tells an object's mode only to code run with --allow-natives-syntax: a child node */
  const lockdown = new URL('../../base/src/loader/lockdown.js', import.meta.url).href;
  const probe = `
    ${lock ? `await import(${JSON.stringify(lockdown)});` : ''}
    const slow = [];
    for (const [name, o] of Object.entries(${INSTANCES})) {
      const loads = (x) => { for (let i = 0; i < 3; i++) void x.__probe__; };
      loads(o);
      for (let p = Object.getPrototypeOf(o); p; p = Object.getPrototypeOf(p)) if (!%HasFastProperties(p)) slow.push(name);
    }
    console.log(JSON.stringify(slow));
  `;
  const out = execFileSync(process.execPath, ['--allow-natives-syntax', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as string[];
}

test('after lockdown no prototype of a hot intrinsic is left in V8\'s slow dictionary mode', (t) => {
  t.deepEqual(slowPrototypes(false), [], 'without lockdown');
  t.deepEqual(slowPrototypes(true), [], 'with lockdown');
});
