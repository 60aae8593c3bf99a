/*
 * What every kernel's system-call gate does with what user code hands it: checks each
 * argument's type before the kernel sees it, and names the kernel's threads to user code
 * by opaque references (frozen empty objects it maps back, only to threads of the same
 * protection domain).
 */

export class BadArgument extends TypeError {}

/** An integer argument within 32 bits (signed or unsigned). */
export function int(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) > 0xffff_ffff) {
    throw new BadArgument(`system call: ${what} must be an integer`);
  }
  return v;
}

/** A 32-bit unsigned word argument. */
export function word(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffff_ffff) {
    throw new BadArgument(`system call: ${what} must be a 32-bit unsigned integer`);
  }
  return v;
}

/** A callback argument (user code the kernel will call, guarded). */
export function callback<F>(v: unknown, what: string): F {
  if (typeof v !== 'function') throw new BadArgument(`system call: ${what} must be a function`);
  return v as F;
}

/** A text argument. */
export function text(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new BadArgument(`system call: ${what} must be a string`);
  return v;
}

/**
 * Opaque references for kernel objects of type `T`: `ref` names one to user code, `deref`
 * maps a reference back if it is one of ours and `owned` accepts the object.
 */
export function opaqueRefs<T extends object, R = T>(owned: (t: T) => boolean, what: string): { ref: (t: T) => R; deref: (r: unknown) => T } {
  const objects = new WeakMap<object, T>();
  const refs = new WeakMap<T, object>();
  /* the last pair looked up: a thread names itself on every system call (a WeakMap lookup costs ~10 ns) */
  let lastRef: object | undefined;
  let lastObject: T | undefined;
  return {
    ref(t: T): R {
      if (t === lastObject) return lastRef as R;
      let r = refs.get(t);
      if (!r) {
        r = Object.freeze(Object.create(null)) as object;
        objects.set(r, t);
        refs.set(t, r);
      }
      lastRef = r;
      lastObject = t;
      return r as R;
    },
    deref(r: unknown): T {
      let t: T | undefined;
      if (r === lastRef && r !== undefined) t = lastObject;
      else if (typeof r === 'object' && r !== null) t = objects.get(r);
      if (!t || !owned(t)) throw new BadArgument(`system call: not ${what}`);
      lastRef = r as object;
      lastObject = t;
      return t;
    },
  };
}
/** A memory access kind (a page fault's): read, write or exec. */
export function accessArg(a: unknown): 'read' | 'write' | 'exec' {
  if (a !== 'read' && a !== 'write' && a !== 'exec') throw new BadArgument('system call: the access must be read, write or exec');
  return a;
}
