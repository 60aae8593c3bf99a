/*
 * Sound in the live web display: the demo's launchpad starts the audio player (its bundled
 * tune through the mixer, audio_drv and the emulated AC'97), the page's Sound button
 * starts Web Audio (a click is the user gesture browsers ask for), and the page receives
 * the card's samples, schedules them no further than 100 ms ahead and an AnalyserNode on
 * its output sees a non-silent signal.
 */
import test from 'ava';
import type { Page } from 'playwright-core';
import { browserMissing, launchBrowser } from './browser.js';
import { startLiveRun, type LiveRun } from './live_run.js';

/* the launchpad's eighth row ("audio_player", below testfb at y 216) on the demo's screen */
export const AUDIO_PLAYER_ENTRY = { x: 770, y: 232 };

const missing = browserMissing();
const inCi = process.env.CI !== undefined && process.env.CI !== '' && process.env.CI !== 'false';

interface AudioState { playing: boolean; chunks: number; frames: number; nonSilentFrames: number; dropped: number; skipped: number; aheadMs: number }

if (missing && !inCi) {
  console.warn(`test/display: browser tests skipped: ${missing}`);
  test.skip(`browser audio test (skipped: ${missing}, and this is not CI)`, () => {});
} else {
  let run: LiveRun;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  let page: Page;

  test.before(async () => {
    if (missing) throw new Error(`the browser tests need ${missing}`);
    run = await startLiveRun(['--kernel', 'nova', 'demo']);
    browser = await launchBrowser();
    page = await browser.context.newPage();
    await page.goto(run.url);
    await page.waitForFunction('window.__display.frames > 0', undefined, { timeout: 60_000 });
  });

  test.after.always(async () => {
    await browser?.close();
    const code = await run?.stop();
    if (code !== undefined && code !== 0) console.warn(`tool/run ended with ${code}:\n${run.output()}`);
  });

  test.serial('the launchpad starts the player and Web Audio plays the card\'s samples', async (t) => {
    t.timeout(120_000);
    await page.click('#sound');
    t.true(await page.evaluate<boolean>('window.__audio.playing'), 'the Sound button starts Web Audio');
    t.is(await page.textContent('#sound'), 'Mute');
    const box = (await page.locator('#screen').boundingBox())!;
    await page.mouse.click(box.x + AUDIO_PLAYER_ENTRY.x, box.y + AUDIO_PLAYER_ENTRY.y);
    await page.waitForFunction('window.__audio.nonSilentFrames > 4096', undefined, { timeout: 90_000 });
    let level = 0;
    for (let i = 0; i < 50 && level === 0; i++) {
      level = await page.evaluate<number>('window.__audio.level()');
      if (level === 0) await page.waitForTimeout(20);
    }
    const a = await page.evaluate<AudioState>('(({ level, ...rest }) => rest)(window.__audio)');
    t.log(`Web Audio: ${a.chunks} chunks, ${a.frames} frames (${a.nonSilentFrames} not silent), ${a.dropped} dropped, ${a.skipped} skipped, ${a.aheadMs} ms ahead; analyser peak ${level.toFixed(3)}`);
    t.true(a.nonSilentFrames > 4096);
    t.true(a.aheadMs <= 101, `scheduled ${a.aheadMs} ms ahead of the audio clock (bound 100 ms)`);
    t.true(level > 0.01, `the AnalyserNode on the output sees the tune (peak ${level})`);
    const deadline = Date.now() + 60_000;
    while (!/\[init -> launchpad -> audio_player\] played ROM "tune.wav"/.test(run.output())) {
      if (Date.now() > deadline) return t.fail(`the player did not finish:\n${run.output().split('\n').slice(-10).join('\n')}`);
      await page.waitForTimeout(200);
    }
    t.notRegex(run.output(), /\] Error: /);
  });
}
