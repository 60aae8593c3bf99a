/*
 * The prototypes lockdown freezes property by property (base/src/loader/fast_elements.ts)
 * are as frozen as Object.freeze makes them; the standard Object.freeze is back; SES's
 * override taming still lets an object assign an inherited property as its own.
 * (The speed it is for is measured by `npm run bench`, not here.)
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

test('Object.freeze is the standard one again and freezes as always', (t) => {
  t.regex(Function.prototype.toString.call(Object.freeze), /\[native code\]/);
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
