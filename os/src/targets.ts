/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  init: new URL('./init/main.js', import.meta.url).href,
  ipc_bench: new URL('./test/ipc_bench/client.js', import.meta.url).href,
  ipc_bench_server: new URL('./test/ipc_bench/server.js', import.meta.url).href,
  'test-resource_request': new URL('./test/resource_request/main.js', import.meta.url).href,
  'test-exit': new URL('./test/exit/main.js', import.meta.url).href,
  'test-reload_driver': new URL('./test/reload/driver.js', import.meta.url).href,
  'test-reload_child': new URL('./test/reload/child.js', import.meta.url).href,
  'test-init_server': new URL('./test/init/server.js', import.meta.url).href,
  'test-init_client': new URL('./test/init/client.js', import.meta.url).href,
  timer: new URL('./drivers/timer/main.js', import.meta.url).href,
  'test-timer': new URL('./test/timer/main.js', import.meta.url).href,
  'test-timer_sleeper': new URL('./test/timer/sleeper.js', import.meta.url).href,
  platform_drv: new URL('./drivers/platform/main.js', import.meta.url).href,
  'test-platform': new URL('./test/platform/main.js', import.meta.url).href,
  fb_drv: new URL('./drivers/framebuffer/main.js', import.meta.url).href,
  'test-framebuffer': new URL('./test/framebuffer/main.js', import.meta.url).href,
};
