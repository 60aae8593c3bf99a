/*
 * Keeps indexed stores fast after lockdown (imported by lockdown.ts before SES).
 *
 * V8's Object.freeze turns an object's element store into a dictionary, and while an
 * object with dictionary elements is on a prototype chain, every indexed store into an
 * object below it takes V8's slow generic path (Node 20: a typed-array store about 45 ns
 * instead of 1.5, an array store 9 instead of 1.8). Lockdown freezes Object.prototype,
 * Array.prototype and the typed arrays' prototypes, so every UTCB word, pixel and sample
 * written anywhere would pay that.
 *
 * Frozen property by property instead (each own property non-configurable, data ones
 * read-only, then no extensions), an object is just as frozen (Object.isFrozen) and keeps
 * its fast elements. SES takes its `freeze` from Object.freeze when it is loaded; for the
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
 * (about 20 ns more per loop), which costs more than its slower array stores do.
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
