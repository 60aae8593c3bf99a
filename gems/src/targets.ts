/* The binaries (boot modules) this repository builds, by name. */
export const targets: Record<string, string> = {
  audio_player: new URL('./app/audio_player/main.js', import.meta.url).href,
  tcp_terminal: new URL('./server/tcp_terminal/main.js', import.meta.url).href,
  http_block: new URL('./server/http_block/main.js', import.meta.url).href,
  'test-tcp_terminal_peer': new URL('./test/tcp_terminal/peer.js', import.meta.url).href,
  terminal: new URL('./server/terminal/main.js', import.meta.url).href,
  'test-terminal_client': new URL('./test/terminal/client.js', import.meta.url).href,
};
