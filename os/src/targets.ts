/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  init: new URL('./init/main.js', import.meta.url).href,
};
