/*
 * Core's capability space on linux: which object a token names. Tokens are sparse (128
 * random bits out of core's CSPRNG), so the space is a map from token to object, and a
 * token nobody was given names nothing with overwhelming probability.
 */
import { type Token } from '../lib/token.js';
import { randomToken } from '../core/token_mint.js';

export class CapSpace<T> {
  private readonly objects = new Map<Token, T>();

  /** Mints a fresh token for `obj`. */
  insert(obj: T): Token {
    for (;;) {
      const t = randomToken();
      if (this.objects.has(t)) continue;
      this.objects.set(t, obj);
      return t;
    }
  }

  lookup(token: Token): T | undefined {
    return this.objects.get(token);
  }

  remove(token: Token): T | undefined {
    const obj = this.objects.get(token);
    this.objects.delete(token);
    return obj;
  }

  get size(): number {
    return this.objects.size;
  }
}
