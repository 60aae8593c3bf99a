/*
 * l4_msgtag_t: the word that describes a message. Bits 0-5 count the untyped words, bits
 * 6-11 the typed items, bits 12-15 are flags, and the label (protocol or result) sits in
 * the bits above, signed. A tag is kept as a 32-bit signed integer.
 */

export const L4_MSGTAG_ERROR = 0x8000;
export const L4_MSGTAG_TRANSFER_FPU = 0x1000;
export const L4_MSGTAG_SCHEDULE = 0x2000;
export const L4_MSGTAG_PROPAGATE = 0x4000;
export const L4_MSGTAG_FLAGS = 0xf000;

export function l4_msgtag(label: number, words: number, items: number, flags: number): number {
  return ((label << 16) | ((items & 0x3f) << 6) | (words & 0x3f) | (flags & L4_MSGTAG_FLAGS)) | 0;
}

export function l4_msgtag_label(tag: number): number {
  return tag >> 16;
}

export function l4_msgtag_words(tag: number): number {
  return tag & 0x3f;
}

export function l4_msgtag_items(tag: number): number {
  return (tag >>> 6) & 0x3f;
}

export function l4_msgtag_flags(tag: number): number {
  return tag & L4_MSGTAG_FLAGS;
}

export function l4_msgtag_has_error(tag: number): boolean {
  return (tag & L4_MSGTAG_ERROR) !== 0;
}

/** The result of a kernel-object operation: 0 or a negative error number in the label. */
export function l4_error(tag: number): number {
  return l4_msgtag_has_error(tag) ? -1 : l4_msgtag_label(tag);
}
