/* On linux a capability is a sparse token; every holder names the object by the same token. */
import { NativeCapability } from '../../../base/src/capability.js';
import { shortToken, tokenWords, type Token } from './token.js';

export class LinuxCapability extends NativeCapability {
  private cachedWords: Uint32Array | undefined;

  constructor(readonly token: Token) {
    super();
  }

  /** The token as message words, converted once per capability object. */
  get words(): Uint32Array {
    return (this.cachedWords ??= tokenWords(this.token));
  }

  get key(): string {
    return this.token;
  }

  toString(): string {
    return `token ${shortToken(this.token)}`;
  }
}

export function tokenOf(cap: { native?: NativeCapability }): Token | undefined {
  return cap.native instanceof LinuxCapability ? cap.native.token : undefined;
}
