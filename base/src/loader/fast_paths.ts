/*
 * Keeps fast paths of V8 that lockdown would turn off (imported by lockdown.ts
 * before SES). Measured on Node 20, standard lockdown against this one:
 *
 * - Stores into typed arrays: once an object on a typed array's prototype chain has been
 *   frozen with V8's Object.freeze, every indexed store into the typed array takes the
 *   slow generic path, about 45 ns instead of 1.5. Lockdown freezes Object.prototype and
 *   the typed arrays' prototypes, so every UTCB word, pixel and sample written anywhere
 *   would pay that. Frozen property by property instead (each own property
 *   non-configurable, data ones read-only, then no extensions), they are just as frozen
 *   (Object.isFrozen) and the stores stay fast. The price: redefining `constructor` on the
 *   typed arrays' prototypes turns off V8's shortcut for their species, so subarray() and
 *   slice() take about 50 ns instead of 25; stores are far more frequent.
 *
 * - Stores into arrays, the same way: with Array.prototype frozen by Object.freeze, a store
 *   into a hole (`new Array(n)`, or an empty array filled by index) took about 90 ns
 *   instead of 17, into a packed array about 8 instead of 3. Array.prototype is frozen
 *   property by property too, except `constructor` and Symbol.iterator: redefining those
 *   turns off V8's shortcuts for every array's species and iteration (a spread about 130 ns
 *   instead of 12, splice or map about 300 instead of 20). Object.freeze then freezes those
 *   two; on an object in dictionary mode, as this one is by then, it leaves the stores fast.
 *
 * - Spreading an array (`f(...args)`, `[...a]`) and the implicit constructor of a derived
 *   class (`class B extends A {}`, which spreads its arguments): SES's override taming
 *   ('severe', which the libraries need, see lockdown.ts) makes Array.prototype's
 *   Symbol.iterator an accessor, and then V8 spreads through the generic iterator
 *   protocol: a spread call about 150 ns instead of 15, a derived object's construction
 *   about 250 ns instead of 6. Array.prototype[Symbol.iterator] stays a data property
 *   here, frozen like the rest. The one thing this gives up is assigning an own
 *   Symbol.iterator to an array (the "override mistake": it throws, as for any frozen
 *   inherited property); no code here does.
 *
 * - Awaiting a promise: the override taming makes Promise.prototype's `constructor` an
 *   accessor too, and every `await` and `then` reads a promise's constructor (PromiseResolve,
 *   SpeciesConstructor): V8 then gives up its shortcut and calls SES's getter, about 88 ns
 *   per `await` of an async function instead of 45, in the kernel and in every component.
 *   Promise.prototype.constructor stays a data property, frozen like the rest; what is given
 *   up is assigning an own `constructor` to a promise (nothing does; core-js did).
 *
 * - Property loads through a prototype: redefining a prototype's data properties (the
 *   property-by-property freeze above, some of SES's own taming) leaves it in V8's slow
 *   dictionary mode, and loads that go through it miss V8's shortcuts: a Uint32Array's
 *   `length` (every message buffer's capacity check reads one) took about 9 ns instead of
 *   0.6. V8 makes an object's properties fast again when an object is created with it as
 *   prototype, so after lockdown every prototype among the intrinsics gets one such
 *   throwaway object (makePrototypesFast).
 *
 * SES takes its `freeze` and `defineProperty` from Object when it is loaded. For the time
 * it loads, Object.freeze freezes these prototypes property by property and
 * Object.defineProperty leaves Array.prototype[Symbol.iterator] and
 * Promise.prototype.constructor data properties;
 * lockdown.ts puts the standard functions back before it locks down, so only SES's own
 * hardening uses these.
 */
const standardFreeze = Object.freeze;
const standardDefineProperty = Object.defineProperty;

const typedArray = Object.getPrototypeOf(Uint8Array) as { prototype: object };
const TYPED_ARRAYS = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array];

/** The prototypes an array's or a typed array's indexed stores look through. */
const ELEMENT_PROTOTYPES: ReadonlySet<object> = new Set<object>([
  Object.prototype, Array.prototype, typedArray.prototype, ...TYPED_ARRAYS.map((c) => c.prototype),
]);

/* Array.prototype's properties whose redefinition turns off V8's shortcuts for every array (above) */
const PROTECTOR_KEYS: ReadonlySet<PropertyKey> = new Set<PropertyKey>(['constructor', Symbol.iterator]);

function freezePropertyByProperty(o: object): void {
  const arrays = o === Array.prototype;
  for (const key of Reflect.ownKeys(o)) {
    if (arrays && PROTECTOR_KEYS.has(key)) continue;
    const d = Reflect.getOwnPropertyDescriptor(o, key)!;
    if ('value' in d) d.writable = false;
    d.configurable = false;
    Reflect.defineProperty(o, key, d);
  }
  /*
   * Array.prototype: the standard freeze of the two left (in dictionary mode by now, V8
   * keeps the elements' fast stores). Not for the typed arrays' prototypes, whose `length`
   * then took 33 ns: their `constructor` is redefined like the rest.
   */
  if (arrays) standardFreeze(o);
  else Reflect.preventExtensions(o);
}

function freeze<T>(o: T): Readonly<T> {
  if (typeof o === 'object' && o !== null && ELEMENT_PROTOTYPES.has(o)) {
    freezePropertyByProperty(o);
    return o;
  }
  return standardFreeze(o);
}

/** Whether `key` of `o` is one whose accessor turns off a V8 shortcut (above). */
function keepsDataProperty(o: unknown, key: PropertyKey): boolean {
  return (o === Array.prototype && key === Symbol.iterator) || (o === Promise.prototype && key === 'constructor');
}

function defineProperty<T>(o: T, key: PropertyKey, d: PropertyDescriptor & ThisType<unknown>): T {
  /* the override taming's accessors for these: left out, the data property stays (frozen later) */
  if (keepsDataProperty(o, key) && (d.get !== undefined || d.set !== undefined)) return o;
  return standardDefineProperty(o, key, d);
}

/* a realm locked down already (Object is frozen) keeps what it has */
const patched = Reflect.set(Object, 'freeze', freeze) && Reflect.set(Object, 'defineProperty', defineProperty);

/**
 * Gives every prototype among the intrinsics reachable from `root` (constructors'
 * `prototype` objects and every object's [[Prototype]]) a throwaway object created with
 * it, which makes V8 turn a prototype left in dictionary mode back into a fast one.
 */
export function makePrototypesFast(root: object): void {
  const seen = new Set<object>();
  const prototypes = new Set<object>();
  const walk = (o: unknown): void => {
    if ((typeof o !== 'object' && typeof o !== 'function') || o === null || seen.has(o)) return;
    seen.add(o);
    const proto = Reflect.getPrototypeOf(o);
    if (proto) prototypes.add(proto);
    for (const key of Reflect.ownKeys(o)) {
      const d = Reflect.getOwnPropertyDescriptor(o, key)!;
      if (key === 'prototype' && typeof o === 'function' && typeof d.value === 'object' && d.value !== null) prototypes.add(d.value as object);
      walk(d.value);
      walk(d.get);
      walk(d.set);
    }
    walk(proto);
  };
  walk(root);
  for (const p of prototypes) Object.create(p);
}

/** Puts the standard Object.freeze and Object.defineProperty back (SES has taken its own by now). */
export function restoreStandardObject(): void {
  if (!patched) return;
  Object.freeze = standardFreeze;
  Object.defineProperty = standardDefineProperty;
}
