// main.tsx's main(), imported as it is: the plain tsc build's way. The bundle
// puts tui/app-script.ts in this module's place (scripts/bundle-tui.mjs).
import type { main } from './main.js';

export type Main = typeof main;

export async function loadMain(): Promise<Main> {
  return (await import('./main.js')).main;
}
