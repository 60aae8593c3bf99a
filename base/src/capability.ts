/*
 * Capabilities as a component sees them: opaque handles around a kernel-issued name
 * (a NOVA selector, a Fiasco.OC cap index, a sparse token on linux). The backend creates
 * NativeCapability objects; components can hold, pass and invoke them, never forge them
 * into another component's object.
 */

export abstract class NativeCapability {
  /** Key under which the serving entrypoint finds its object (portal id, badge, token). */
  abstract readonly key: number | string;
  abstract toString(): string;
}

export class Capability<T = unknown> {
  /** Phantom field: keeps Capability<A> and Capability<B> apart for the type checker. */
  declare readonly __iface?: T;

  constructor(readonly native: NativeCapability | undefined) {}

  static invalid<T>(): Capability<T> {
    return new Capability<T>(undefined);
  }

  get valid(): boolean {
    return this.native !== undefined;
  }

  /** Reinterprets the capability as one of a derived or base interface (Genode's static_cap_cast). */
  cast<U>(): Capability<U> {
    return this as unknown as Capability<U>;
  }

  toString(): string {
    return this.native ? this.native.toString() : 'invalid capability';
  }
}
