import { scenario } from '../../base/src/scenario.js';
import demo from '../../demo/run/demo.js';

/*
 * The demo as a user tries its terminal: a click on the launchpad's "terminal" entry
 * starts it (the gems terminal with line_echo), a click into its window gives it the
 * focus, a typed line comes back. The picture is checked by its hash.
 */
export default scenario({
  ...demo,
  description: 'the demo\'s launchpad entry "terminal": clicked, it opens the gems terminal (with line_echo until the shell is there); a line typed into the window is echoed and answered on the screen',
  interactive: false,
  input: [
    /* from the pointer's start in the middle of the screen to the sixth launcher row */
    { after: /\[init -> launchpad\] launchpad ready/, mouse: [{ move: [258, -184] }, { buttons: 1 }, { buttons: 0 }] },
    { after: /\[init -> launchpad -> terminal -> terminal\] terminal ready/, mouse: [{ move: [-400, 0] }, { buttons: 1 }, { buttons: 0 }] },
    { after: /\[init -> launchpad -> terminal -> line_echo\] line_echo ready/, keys: ['h', 'i', '+ShiftLeft', '1', '-ShiftLeft', 'x', 'Backspace', 'Enter'] },
  ],
  succeed: [
    /\[init -> launchpad\] starting terminal with 12.0 MB/,
    /\[init -> launchpad -> terminal -> terminal\] terminal ready: 80x24/,
    /\[init -> launchpad -> terminal -> line_echo\] line 1: 3 characters/,
  ],
  framebufferHash: '969f95a2de5ad9869bf64bbfa4d78710f49b911331d3f783ccc19283cb09180d',
  timeout: '60s',
});
