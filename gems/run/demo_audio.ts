import { scenario } from '../../base/src/scenario.js';
import demo from '../../demo/run/demo.js';

/*
 * The demo's launchpad entry "audio_player": clicked, it starts the player with the tune
 * made by code, which plays through the mixer, audio_drv and the AC'97 card; the card's
 * checksum of what it played equals the player's (the mixer at full volume passes one
 * client through bit for bit).
 */
export default scenario({
  ...demo,
  description: 'the demo\'s launchpad entry "audio_player": clicked, it plays the tune through the mixer, audio_drv and the AC\'97 card; the card\'s checksum equals the player\'s',
  interactive: false,
  input: [
    /* from the pointer's start in the middle of the screen to the eighth launcher row */
    { after: /\[init -> launchpad\] launchpad ready/, mouse: [{ move: [258, -152] }, { buttons: 1 }, { buttons: 0 }] },
  ],
  succeed: [
    /\[init -> launchpad\] starting audio_player with 6.0 MB/,
    /\[init -> launchpad -> audio_player\] ROM "tune.wav": stereo, 44100 Hz, 16-bit PCM, 66591 frames/,
    /\[init -> launchpad -> audio_player\] audio check stereo: 66590 frames, checksum c9f0485c/,
    /\[ac97\] stereo: 66590 frames, checksum c9f0485c, as the source played them/,
    /\[init -> launchpad -> audio_player\] played ROM "tune.wav": 66591 frames in 131 periods/,
  ],
  timeout: '60s',
});
