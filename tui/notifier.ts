// Tells the person what happened while they were not looking: the window
// title counts unread messages and mentions, and a mention in a room that is
// not on screen (or while the terminal is not focused) rings the bell and,
// if settings.notifications asks, sends a desktop notification through the
// terminal. Full screen only: line mode never writes these.
import type { Notifications } from './config.js';
import { BEL, notifySequence, titleSequence, titleText } from './osc.js';
import { roomLabel, type Alert } from './rooms.js';
import type { ChatStore } from './store.js';

/** A flood of mentions rings once, not once per message. */
export const ALERT_GAP_MS = 1000;

export interface Notifier {
  alert(alert: Alert): void;
  stop(): void;
}

export function createNotifier(
  store: ChatStore,
  opts: { write: (s: string) => void; notifications: Notifications; now?: () => number },
): Notifier {
  const now = opts.now ?? Date.now;
  let title = '';
  const showTitle = () => {
    let unread = 0;
    let mentions = 0;
    for (const room of Object.values(store.getState().rooms)) {
      unread += room.unread;
      mentions += room.mentions;
    }
    const next = titleText(unread, mentions);
    if (next === title) return;
    title = next;
    opts.write(titleSequence(next));
  };
  showTitle();
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.rooms !== prev.rooms) showTitle();
  });
  let lastAlert = -Infinity;
  return {
    alert({ roomId, from, text }) {
      if (opts.notifications === 'off') return;
      const t = now();
      if (t - lastAlert < ALERT_GAP_MS) return;
      lastAlert = t;
      const osc = opts.notifications === 'bell' ? '' : notifySequence(opts.notifications, `${from} in ${roomLabel(store.getState().rooms[roomId], roomId)}`, text);
      opts.write(osc + BEL);
    },
    stop: unsubscribe,
  };
}
