/*
 * Untrusted values (config attributes, labels, names) shortened and made printable before
 * they go into a message: a 1 MiB name must not become thousands of log lines, and a name
 * with a line break must not forge a log line of its own.
 */

/** Characters a value may show in a message; others are escaped (\n, \x1b, \u2028). */
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

function escape(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\n') return '\\n';
  if (c === '\t') return '\\t';
  if (c === '\r') return '\\r';
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The length at which message values are cut. */
export const CLIP_LENGTH = 64;

/** `text` for a message: control characters escaped, cut to `max` characters with "...". */
export function clip(text: string, max = CLIP_LENGTH): string {
  let end = Math.min(text.length, max);
  /* not between the two halves of a surrogate pair */
  if (end < text.length && /[\ud800-\udbff]/.test(text[end - 1] ?? '')) end--;
  const cut = text.slice(0, end);
  const shown = cut.replace(UNPRINTABLE, escape);
  return text.length > max ? `${shown}...` : shown;
}
