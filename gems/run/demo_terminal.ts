import { scenario } from '../../base/src/scenario.js';
import demo from '../../demo/run/demo.js';

/*
 * The demo as a user tries its terminal: a click on the launchpad's "terminal" entry
 * starts it (the gems terminal with the noux shell), a click into its window gives it the
 * focus, and typed commands run: a redirection, a pipe, lua, exit. The picture (the
 * commands echoed and their output) is checked by its hash.
 */

/** The key steps that type `text` on a US layout. */
function typed(text: string): string[] {
  const shifted: Record<string, string> = { '>': 'Period', '|': 'Backslash', '"': 'Quote', '(': 'Digit9', ')': 'Digit0', '*': 'Digit8' };
  const plain: Record<string, string> = { ' ': 'Space', '.': 'Period', '-': 'Minus', '\n': 'Enter' };
  const keys: string[] = [];
  for (const ch of text) {
    if (shifted[ch]) keys.push('+ShiftLeft', shifted[ch], '-ShiftLeft');
    else keys.push(plain[ch] ?? ch);
  }
  return keys;
}
export default scenario({
  ...demo,
  description: 'the demo\'s launchpad entry "terminal": clicked, it opens the gems terminal with the noux shell; typed into its window, `echo hi > x.txt`, `cat x.txt | wc -c`, `lua -e "print(6*7)"` and `exit 3` run',
  interactive: false,
  input: [
    /* from the pointer's start in the middle of the screen to the sixth launcher row */
    { after: /\[init -> launchpad\] launchpad ready/, mouse: [{ move: [258, -184] }, { buttons: 1 }, { buttons: 0 }] },
    { after: /\[init -> launchpad -> terminal -> terminal\] terminal ready/, mouse: [{ move: [-400, 0] }, { buttons: 1 }, { buttons: 0 }] },
    { after: /\[init -> launchpad -> terminal -> noux\] running sh/, keys: typed('ls\necho hi > x.txt\nls\ncat x.txt | wc -c\nlua -e "print(6*7)"\nexit 3\n') },
  ],
  succeed: [
    /\[init -> launchpad\] starting terminal with 12.0 MB/,
    /\[init -> launchpad -> terminal -> terminal\] terminal ready: 80x24/,
    /\[init -> launchpad -> terminal -> noux\] sh exited with status 3/,
  ],
  framebufferHash: 'f6991d67202a1307284bf6061c1ef4841d32d164bb4596a609fb2926d8988db9',
  timeout: '60s',
});
