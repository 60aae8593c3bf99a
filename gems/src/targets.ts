/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  terminal: new URL('./server/terminal/main.js', import.meta.url).href,
  line_echo: new URL('./app/line_echo/main.js', import.meta.url).href,
  'test-terminal_client': new URL('./test/terminal/client.js', import.meta.url).href,
};
