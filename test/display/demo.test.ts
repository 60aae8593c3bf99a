/*
 * The demo through the live web display in a real browser: the desktop appears, a click
 * on a launchpad entry opens its window, the X-ray key shows nitpicker's labels, the kill
 * button removes the window again (each picture compared with a reference image); a
 * second instance opens cascaded; the launchpad shows a quota shortage; its children's
 * list scrolls with the wheel; the page's X-ray and emergency-key buttons work.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { browserMissing, launchBrowser } from './browser.js';
import { compareWithReference } from './compare.js';
import { startLiveRun, type LiveRun } from './live_run.js';
import { decodePng, type Image } from '../../tool/runner/png.js';

/* places on the demo's 1024x768 screen (see demo/run/demo.ts and the clients' layouts) */
const SCOUT_ENTRY = { x: 770, y: 120 };
const SCOUT_KILL = { x: 977, y: 272 };
const SCOUT_PAGE = { x: 300, y: 330 };
const LAUNCHPAD_TITLE = { x: 900, y: 40 };
const MENUBAR = { x: 0, y: 0 };
const SCOUT_LABEL = { x: 470, y: 44 };
const NITLOG_ENTRY = { x: 770, y: 136 };
/* the launchpad's "terminal" row, a point in the terminal's window (at 120, 120), the first child's kill button */
const TERMINAL_ENTRY = { x: 770, y: 200 };
const TERMINAL_WINDOW = { x: 300, y: 300 };
const CHILD_KILL = SCOUT_KILL;
/* the title bar of a second scout window, 24 pixels down and right of the first one's (60, 40) */
const SCOUT2_TITLE = { x: 200, y: 74 };
/* the launchpad's content (eight launcher rows): message line, children's list, a background pixel left of the rows */
const LAUNCHPAD_MESSAGE = { x: 746, y: 364, w: 250, h: 12 };
const LAUNCHPAD_CHILDREN = { x: 746, y: 264, w: 200, h: 96 };
const LAUNCHPAD_EDGE = { x: 745, y: 300 };
const COLORS = {
  background: 0x203040, titleBar: 0x3a5a8a, scoutPage: 0xf4f1e8, menubar: 0xd02020, unfocusedLabel: 0xd0d0d0,
  launchpad: 0xe4e6ea, message: 0xb02020,
};

const missing = browserMissing();
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

if (missing && !inCi) {
  console.warn(`test/display: browser tests skipped: ${missing}`);
  test.skip(`browser tests (skipped: ${missing}, and this is not CI)`, () => {});
} else {
  let run: LiveRun;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;
  let origin = { x: 0, y: 0 };

  test.before(async () => {
    if (missing) throw new Error(`the browser tests need ${missing}`);
    run = await startLiveRun(['--kernel', 'nova', 'demo']);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(run.url);
    await page.waitForFunction('window.__display.frames > 0', undefined, { timeout: 60_000 });
    const box = (await page.locator('#screen').boundingBox())!;
    origin = { x: box.x, y: box.y };
  });

  test.after.always(async () => {
    await browser?.close();
    const code = await run?.stop();
    if (code !== undefined && code !== 0) console.warn(`tool/run ended with ${code}:\n${run.output()}`);
  });

  /* page code as text: this project compiles without the DOM's types */
  const pixel = (p: { x: number; y: number }) => page.evaluate<number>(
    `(() => { const d = document.getElementById('screen').getContext('2d').getImageData(${p.x}, ${p.y}, 1, 1).data; return (d[0] << 16) | (d[1] << 8) | d[2]; })()`);

  /** Waits until the canvas shows `color` at `p`. */
  const until = async (what: string, p: { x: number; y: number }, color: number, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    let got = await pixel(p);
    while (got !== color) {
      if (Date.now() > deadline) throw new Error(`${what}: (${p.x}, ${p.y}) is 0x${got.toString(16)}, expected 0x${color.toString(16)} after ${timeoutMs} ms`);
      await page.waitForTimeout(100);
      got = await pixel(p);
    }
  };

  /** The canvas once no new frame arrived for a while. */
  const settled = async (): Promise<Image> => {
    const version = () => page.evaluate<number>('window.__display.version');
    let v = await version();
    for (;;) {
      await page.waitForTimeout(700);
      const now = await version();
      if (now === v) break;
      v = now;
    }
    const url = await page.evaluate<string>(`document.getElementById('screen').toDataURL('image/png')`);
    return decodePng(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  };

  const click = (p: { x: number; y: number }) => page.mouse.click(origin.x + p.x, origin.y + p.y);

  /** The canvas pixels of a rectangle, as 0xRRGGBB numbers. */
  const region = (r: { x: number; y: number; w: number; h: number }) => page.evaluate<number[]>(
    `(() => { const d = document.getElementById('screen').getContext('2d').getImageData(${r.x}, ${r.y}, ${r.w}, ${r.h}).data; const o = []; for (let i = 0; i < d.length; i += 4) o.push((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]); return o; })()`);

  /** Waits until tool/run's output holds `pattern` `count` times. */
  const logged = async (pattern: RegExp, count: number, timeoutMs = 60_000) => {
    const g = new RegExp(pattern.source, 'g');
    const deadline = Date.now() + timeoutMs;
    while ((run.output().match(g)?.length ?? 0) < count) {
      if (Date.now() > deadline) throw new Error(`${pattern} did not appear ${count} times in ${timeoutMs} ms:\n${run.output().split('\n').slice(-20).join('\n')}`);
      await page.waitForTimeout(100);
    }
  };
  const count = (pattern: RegExp) => run.output().match(new RegExp(pattern.source, 'g'))?.length ?? 0;

  test.serial('the page shows the desktop with the launchpad', async (t) => {
    await until('launchpad window', LAUNCHPAD_TITLE, COLORS.titleBar);
    const img = await settled();
    let lit = 0;
    for (let i = 0; i < img.width * img.height; i++) if (img.rgba[i * 4]! | img.rgba[i * 4 + 1]! | img.rgba[i * 4 + 2]!) lit++;
    t.true(lit > img.width * img.height * 0.5, `only ${lit} pixels are not black`);
    t.is(compareWithReference('desktop', img), undefined);
  });

  test.serial('a click on a launchpad entry opens a new window', async (t) => {
    t.is(await pixel(SCOUT_PAGE), COLORS.background);
    await click(SCOUT_ENTRY);
    await until('scout window', SCOUT_PAGE, COLORS.scoutPage);
    t.is(compareWithReference('scout', await settled()), undefined);
  });

  test.serial('the X-ray key shows nitpicker\'s labels', async (t) => {
    await page.keyboard.press('ScrollLock');
    await until('X-ray menubar', MENUBAR, COLORS.menubar);
    t.is(await pixel(SCOUT_LABEL), COLORS.unfocusedLabel);
    t.is(compareWithReference('xray', await settled()), undefined);
  });

  test.serial('the kill button removes the window again', async (t) => {
    await click(SCOUT_KILL);
    await until('scout window gone', SCOUT_PAGE, COLORS.background);
    t.is(compareWithReference('killed', await settled()), undefined);
  });

  test.serial('the page\'s X-ray button presses Scroll Lock: X-ray mode ends', async (t) => {
    t.is(await pixel(MENUBAR), COLORS.menubar);
    await page.click('#xray');
    await until('X-ray off', MENUBAR, COLORS.background);
    t.pass();
  });

  test.serial('the launchpad\'s terminal runs the shell: ls, a redirection, a pipe, lua', async (t) => {
    await click(TERMINAL_ENTRY);
    await logged(/\[init -> launchpad -> terminal -> noux\] running sh/, 1);
    await click(TERMINAL_WINDOW); // the focus
    /*
     * The live display paces the machine to host time, so when the click lands depends on the
     * host's load: a space is typed until the terminal echoes it (the cursor moves), and only
     * then the commands (leading spaces mean nothing to the shell).
     */
    const TEXT = { x: 122, y: 140, w: 300, h: 100 };
    const before = await region(TEXT);
    const echoed = Date.now() + 60_000;
    for (;;) {
      await page.keyboard.press('Space');
      const deadline = Date.now() + 1000;
      let changed = false;
      while (!changed && Date.now() < deadline) {
        await page.waitForTimeout(100);
        changed = (await region(TEXT)).some((p, i) => p !== before[i]);
      }
      if (changed) break;
      if (Date.now() > echoed) return t.fail('the terminal never echoed a key');
    }
    /* typed as a user would, shifted characters with Shift */
    const shifted: Record<string, string> = { '>': 'Period', '|': 'Backslash', '"': 'Quote', '(': 'Digit9', ')': 'Digit0', '*': 'Digit8' };
    for (const ch of 'ls\necho hi > x.txt\ncat x.txt | wc -c\nlua -e "print(6*7)"\nexit 3\n') {
      if (shifted[ch]) await page.keyboard.press(`Shift+${shifted[ch]}`);
      else await page.keyboard.press(ch === '\n' ? 'Enter' : ch === ' ' ? 'Space' : ch);
    }
    await logged(/\[init -> launchpad -> terminal -> noux\] sh exited with status 3/, 1);
    /* the window shows the commands and their output: text pixels in its first lines */
    const shown = await region(TEXT);
    t.true(shown.filter((p) => p !== shown[shown.length - 1]).length > 200, 'the terminal shows text');
    await click(CHILD_KILL);
    await logged(/killing terminal/, 1);
  });

  test.serial('a second instance of a program opens cascaded', async (t) => {
    const started = count(/starting scout/);
    await click(SCOUT_ENTRY);
    await until('first scout window', SCOUT_PAGE, COLORS.scoutPage);
    t.not(await pixel(SCOUT2_TITLE), COLORS.titleBar);
    await click(SCOUT_ENTRY);
    await logged(/starting scout/, started + 2);
    await until('second scout window, cascaded', SCOUT2_TITLE, COLORS.titleBar);
    t.pass();
  });

  test.serial('the launchpad shows a quota shortage, and its children\'s list scrolls', async (t) => {
    for (let i = 0; i < 16 && count(/not enough quota for scout/) === 0; i++) {
      const before = count(/starting scout|not enough quota for scout/);
      await click(SCOUT_ENTRY);
      await logged(/starting scout|not enough quota for scout/, before + 1);
    }
    t.true(count(/not enough quota for scout/) > 0, 'the quota ran out');
    const deadline = Date.now() + 30_000;
    while (!(await region(LAUNCHPAD_MESSAGE)).includes(COLORS.message)) {
      if (Date.now() > deadline) return t.fail('no quota message in the launchpad window');
      await page.waitForTimeout(100);
    }
    /* smaller programs fill the list beyond what it shows (8 rows) */
    for (let i = 0; i < 16 && count(/not enough quota for nitlog/) === 0; i++) {
      const before = count(/starting nitlog|not enough quota for nitlog/);
      await click(NITLOG_ENTRY);
      await logged(/starting nitlog|not enough quota for nitlog/, before + 1);
    }
    const children = count(/starting (scout|nitlog)/) - count(/killing (scout|nitlog)/);
    t.true(children > 8, `${children} children, more than the list shows`);
    await page.waitForTimeout(1000);
    const top = await region(LAUNCHPAD_CHILDREN);
    await page.mouse.move(origin.x + LAUNCHPAD_CHILDREN.x + 20, origin.y + LAUNCHPAD_CHILDREN.y + 20);
    await page.mouse.wheel(0, 300);
    const scrolled = Date.now() + 30_000;
    while ((await region(LAUNCHPAD_CHILDREN)).every((p, i) => p === top[i])) {
      if (Date.now() > scrolled) return t.fail('the children\'s list did not scroll');
      await page.waitForTimeout(100);
    }
  });

  test.serial('the page\'s emergency-key button gives the focus back to the launchpad', async (t) => {
    await click(SCOUT_PAGE); // a scout has the focus
    await page.click('#xray');
    await until('X-ray on', MENUBAR, COLORS.menubar);
    /* the click lands when the host-paced machine gets to it: X-ray then dims the unfocused launchpad */
    const dimmed = Date.now() + 30_000;
    while ((await pixel(LAUNCHPAD_EDGE)) === COLORS.launchpad) {
      if (Date.now() > dimmed) return t.fail('X-ray does not dim the launchpad: the scout never got the focus');
      await page.waitForTimeout(100);
    }
    t.not(await pixel(LAUNCHPAD_EDGE), COLORS.launchpad, 'X-ray dims the unfocused launchpad');
    await page.click('#emergency');
    await until('launchpad focused', LAUNCHPAD_EDGE, COLORS.launchpad);
    await page.click('#xray');
    await until('X-ray off', MENUBAR, COLORS.background);
  });
}
