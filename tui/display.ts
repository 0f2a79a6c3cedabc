// How messages look, from the config file (color, timestamp_format): set once
// by main before the first frame, read by format.ts and the components. A
// process-wide setting, so it is module state rather than something every
// component and the row cache would have to be handed.

export interface Display {
  /** false: no colours (NO_COLOR, or color = false); bold, dim and inverse stay. */
  color: boolean;
  /** strftime-style (tui/clock-format.ts); empty hides the time. */
  timeFormat: string;
}

// no-color.org: NO_COLOR present and not empty.
let current: Display = { color: !process.env.NO_COLOR, timeFormat: '%H:%M:%S' };

export function display(): Display {
  return current;
}

export function configureDisplay(next: Partial<Display>): void {
  current = { ...current, ...next };
}
