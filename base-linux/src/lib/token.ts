/*
 * Capabilities on linux are sparse 128-bit tokens (Genode's base-linux names an RPC object
 * by a key its server checks). Only core mints them (core/token_mint.ts), from the system's
 * CSPRNG, so guessing one is as hard as guessing 128 random bits. In JS they are 32 hex digits (usable as map
 * keys); in a message buffer they are four 32-bit words. All zeros means "no capability".
 */
export type Token = string;

export const TOKEN_WORDS = 4;
export const TOKEN_BYTES = TOKEN_WORDS * 4;
export const NULL_TOKEN: Token = '0'.repeat(TOKEN_BYTES * 2);

export function isToken(t: unknown): t is Token {
  return typeof t === 'string' && t.length === TOKEN_BYTES * 2 && /^[0-9a-f]+$/.test(t);
}

/** Writes `t` (or the null token for none) as four words at `at`. */
export function writeToken(words: Uint32Array, at: number, t: Token | undefined): void {
  for (let i = 0; i < TOKEN_WORDS; i++) words[at + i] = t === undefined ? 0 : parseInt(t.slice(8 * i, 8 * i + 8), 16);
}

export function tokenWords(t: Token): Uint32Array {
  const w = new Uint32Array(TOKEN_WORDS);
  writeToken(w, 0, t);
  return w;
}

/** Reads four words at `at`; undefined for the null token. */
export function readToken(words: Uint32Array, at: number): Token | undefined {
  let t = '';
  let any = 0;
  for (let i = 0; i < TOKEN_WORDS; i++) {
    const w = words[at + i]!;
    any |= w;
    t += w.toString(16).padStart(8, '0');
  }
  return any === 0 ? undefined : t;
}

/** A short form for messages: enough to tell tokens apart, too little to use one. */
export function shortToken(t: Token): string {
  return `${t.slice(0, 8)}…`;
}
