/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  'test-log': new URL('./test/log/main.js', import.meta.url).href,
  'test-rpc_server': new URL('./test/rpc/server.js', import.meta.url).href,
  'test-signal': new URL('./test/signal/receiver.js', import.meta.url).href,
  'test-signal_sender': new URL('./test/signal/sender.js', import.meta.url).href,
  'test-ds_ownership': new URL('./test/ds_ownership/main.js', import.meta.url).href,
  'test-rm_nested': new URL('./test/rm_nested/main.js', import.meta.url).href,
  'test-rm_attach': new URL('./test/rm_attach/main.js', import.meta.url).href,
  'test-quota_server': new URL('./test/quota/server.js', import.meta.url).href,
  'test-quota_client': new URL('./test/quota/client.js', import.meta.url).href,
  'test-rpc_bench_server': new URL('./test/rpc_bench/server.js', import.meta.url).href,
  'test-rpc_bench_client': new URL('./test/rpc_bench/client.js', import.meta.url).href,
  'test-cap_victim': new URL('./test/cap_forgery/victim.js', import.meta.url).href,
  'test-cap_client': new URL('./test/cap_forgery/client.js', import.meta.url).href,
  'test-cap_forger': new URL('./test/cap_forgery/forger.js', import.meta.url).href,
  'test-rpc_client': new URL('./test/rpc/client.js', import.meta.url).href,
  'test-isolation': new URL('./test/isolation/main.js', import.meta.url).href,
};
