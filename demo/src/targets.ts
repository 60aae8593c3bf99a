/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  launchpad: new URL('./app/launchpad/main.js', import.meta.url).href,
  scout: new URL('./app/scout/main.js', import.meta.url).href,
  nitlog: new URL('./server/nitlog/main.js', import.meta.url).href,
  liquid_fb: new URL('./server/liquid_framebuffer/main.js', import.meta.url).href,
  nit_fb: new URL('./server/nit_fb/main.js', import.meta.url).href,
};
