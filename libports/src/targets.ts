/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  'test-libc_vfs': new URL('./test/libc_vfs/main.js', import.meta.url).href,
  lua: new URL('./app/lua/main.js', import.meta.url).href,
  noux: new URL('./app/noux/main.js', import.meta.url).href,
};
