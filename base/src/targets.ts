/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  'test-log': new URL('./test/log/main.js', import.meta.url).href,
  'test-rpc_server': new URL('./test/rpc/server.js', import.meta.url).href,
  'test-rpc_client': new URL('./test/rpc/client.js', import.meta.url).href,
};
