/*
 * The document scout shows: a few pages about what is on the screen, with links
 * between them.
 */

export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'item'; text: string }
  | { kind: 'link'; text: string; page: string };

export interface Page {
  id: string;
  title: string;
  blocks: Block[];
}

export const DOCUMENT: Page[] = [
  {
    id: 'welcome',
    title: 'Welcome',
    blocks: [
      { kind: 'text', text: 'Everything on this screen is an ordinary component: this viewer, the launchpad and the log window are clients of nitpicker, the GUI server, which knows nothing but pixel buffers, views and input.' },
      { kind: 'text', text: 'Each of them runs in a protection domain of its own, with the memory its parent gave it, and can reach only the sessions its parent routed to it.' },
      { kind: 'link', text: 'Nitpicker, the secure GUI', page: 'nitpicker' },
      { kind: 'link', text: 'The trusted path: X-ray mode', page: 'xray' },
      { kind: 'link', text: 'Launchpad and quota', page: 'launchpad' },
    ],
  },
  {
    id: 'nitpicker',
    title: 'Nitpicker',
    blocks: [
      { kind: 'text', text: 'A client of nitpicker gets one buffer, paid from the quota it donated, and shows parts of it through views. Windows, title bars and widgets are drawn by the clients themselves.' },
      { kind: 'item', text: 'Only one client receives each input event.' },
      { kind: 'item', text: 'The focused view defines where keys go.' },
      { kind: 'item', text: 'Only the user changes the focus, by clicking.' },
      { kind: 'item', text: 'While a button is held, motion goes to the client that got the press: clients move their windows themselves.' },
      { kind: 'link', text: 'Next: the trusted path', page: 'xray' },
    ],
  },
  {
    id: 'xray',
    title: 'X-Ray Mode',
    blocks: [
      { kind: 'text', text: 'Labelling the trusted window is not enough: a Trojan horse could show a picture of it. So in X-ray mode nitpicker marks all the others.' },
      { kind: 'item', text: 'Press Scroll Lock: every view not focused is dimmed, and each view carries the label its client got from its parents, drawn by nitpicker on top.' },
      { kind: 'item', text: 'Press F12, the emergency key: the focus returns to the launchpad, whatever the other clients do.' },
      { kind: 'link', text: 'Next: launchpad', page: 'launchpad' },
    ],
  },
  {
    id: 'launchpad',
    title: 'Launchpad',
    blocks: [
      { kind: 'text', text: 'Launchpad is the parent of everything it starts. Each program gets the RAM quantum shown next to its name, taken from the launchpad\'s own quota; killing it returns every byte.' },
      { kind: 'text', text: 'Start liquid_fb and then nitpicker: a second GUI server runs inside a window of the first one, and clients started after it show up inside.' },
      { kind: 'link', text: 'Back to the start', page: 'welcome' },
    ],
  },
];
