/*
 * Keeps stores into typed arrays fast after lockdown (imported by lockdown.ts before SES).
 *
 * Once an object on a typed array's prototype chain has been frozen with V8's
 * Object.freeze, every indexed store into the typed array takes V8's slow generic path
 * (Node 20: about 45 ns instead of 1.5). Lockdown freezes Object.prototype and the typed
 * arrays' prototypes, so every UTCB word, pixel and sample written anywhere would pay that.
 *
 * Frozen property by property instead (each own property non-configurable, data ones
 * read-only, then no extensions), an object is just as frozen (Object.isFrozen) and the
 * stores stay fast. SES takes its `freeze` from Object.freeze when it is loaded; for the
 * time it loads, Object.freeze is a function that freezes these prototypes that way and
 * everything else as before. lockdown.ts puts the standard Object.freeze back before it
 * locks down, so only SES's hardening uses it.
 */
const standardFreeze = Object.freeze;

const typedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const TYPED_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];

/*
 * The prototypes a typed array's indexed stores look through. Not Array.prototype: a
 * redefined property there turns off V8's fast for-of and destructuring over arrays
 * (about 20 ns more per loop), which costs more than its slower array stores (about 6 ns
 * instead of 1.5, with Array.prototype frozen the standard way) do.
 */
const ELEMENT_PROTOTYPES: ReadonlySet<object> = new Set<object>([
  Object.prototype, typedArray.prototype, ...TYPED_ARRAYS.map((c) => c.prototype),
]);

function freezePropertyByProperty(o: object): void {
  for (const key of Reflect.ownKeys(o)) {
    const d = Reflect.getOwnPropertyDescriptor(o, key)!;
    if ('value' in d) d.writable = false;
    d.configurable = false;
    Reflect.defineProperty(o, key, d);
  }
  Reflect.preventExtensions(o);
}

function freeze<T>(o: T): Readonly<T> {
  if (typeof o === 'object' && o !== null && ELEMENT_PROTOTYPES.has(o)) {
    freezePropertyByProperty(o);
    return o;
  }
  return standardFreeze(o);
}

/* a realm locked down already (Object is frozen) keeps what it has */
const patched = Reflect.set(Object, 'freeze', freeze);

/** Puts the standard Object.freeze back (SES has taken its own by now). */
export function restoreStandardFreeze(): void {
  if (patched) Object.freeze = standardFreeze;
}
