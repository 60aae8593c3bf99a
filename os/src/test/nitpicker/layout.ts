/*
 * Where the clients of the nitpicker_hostile scenario put their views, and their colours:
 * known to the clients and to test-nitpicker_screen, which checks what nitpicker shows.
 */
import type { Rect } from '../../lib/surface.js';

export const SCREEN = { width: 320, height: 240 };

/** The victim: a view with a secret colour, titled "secret". */
export const VICTIM: Rect = { x: 20, y: 40, w: 120, h: 80 };
export const VICTIM_COLOR = 0x30c030;

/** The hostile client's own window ... */
export const HOSTILE: Rect = { x: 180, y: 40, w: 120, h: 80 };
export const HOSTILE_COLOR = 0xc03030;
/** ... and a view in front of the victim's top that imitates a label bar saying "victim". */
export const FAKE_LABEL: Rect = { x: 20, y: 40, w: 120, h: 26 };
export const FAKE_LABEL_COLOR = 0xffffff;
export const FAKE_LABEL_TEXT = 'victim';

/** Where the user clicks: points of the victim that the fake label does not cover, and of the hostile window. */
export const VICTIM_SPOT = { x: 80, y: 100 };
export const HOSTILE_SPOT = { x: 240, y: 100 };
/** Where the screen is checked: away from the spots, so the pointer never covers them. */
export const VICTIM_SAMPLE = { x: 30, y: 110 };
export const HOSTILE_SAMPLE = { x: 190, y: 110 };
export const FAKE_LABEL_SAMPLE = { x: 80, y: 60 };

/** What the user (test-nitpicker_screen) types to the victim. */
export const VICTIM_KEYS = ['KEY_A', 'KEY_B', 'KEY_C'];
/** Typed to the victim after the emergency key took the focus back from the hostile client. */
export const AFTER_EMERGENCY_KEY = 'KEY_D';
/** The last key, typed to the hostile client once the user focused it. */
export const FINAL_KEY = 'KEY_Q';
