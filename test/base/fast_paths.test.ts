/*
 * What base/src/loader/fast_paths.ts changes about lockdown: the prototypes it freezes
 * property by property are as frozen as Object.freeze makes them; Array.prototype's
 * Symbol.iterator stays a frozen data property; the standard Object.freeze and
 * Object.defineProperty are back; SES's override taming still lets an object assign other
 * inherited properties as its own. (The speed it is for is measured by `npm run bench`.)
 */
import test from 'ava';
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

test('an object inheriting from %IteratorPrototype% still assigns its own Symbol.iterator (tslib does)', (t) => {
  const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as object;
  const g = Object.create(iteratorPrototype) as Record<symbol, unknown>;
  const self = function (this: unknown) { return this; };
  g[Symbol.iterator] = self;
  t.is(g[Symbol.iterator], self);
});
