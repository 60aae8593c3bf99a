/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  'test-log': new URL('./test/log/main.js', import.meta.url).href,
};
