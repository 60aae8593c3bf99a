/*
 * The executable format of boot modules. A binary ROM module holds a small header naming
 * the component module; a parent attaches it into the child's address space and starts the
 * child's main thread at its address, and the kernel's loader reads the header from there,
 * as an ELF loader would read program headers.
 */
const MAGIC = 'GENODE-TS-BINARY v1\n';

export function encodeBinary(name: string): Uint8Array {
  return new TextEncoder().encode(`${MAGIC}${name}\n`);
}

/** The binary name in a header, or undefined if the bytes are not an executable. */
export function decodeBinary(bytes: Uint8Array): string | undefined {
  const text = new TextDecoder().decode(bytes.subarray(0, Math.min(bytes.length, 256)));
  if (!text.startsWith(MAGIC)) return undefined;
  const name = text.slice(MAGIC.length).split('\n')[0];
  return name || undefined;
}
