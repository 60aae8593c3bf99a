/*
 * Minting capability tokens (core only): 128 bits from the host's CSPRNG, so guessing one
 * is as hard as guessing 128 random bits. Components only ever receive tokens.
 */
import { randomBytes } from 'node:crypto';
import { NULL_TOKEN, TOKEN_BYTES, type Token } from '../lib/token.js';

export function randomToken(): Token {
  for (;;) {
    const t = randomBytes(TOKEN_BYTES).toString('hex');
    if (t !== NULL_TOKEN) return t;
  }
}
