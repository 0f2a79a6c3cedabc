// Imported first by main.tsx, before Ink: Ink renders only a final frame when
// it sees CI in the environment, which on a real terminal means a blank
// screen. On a terminal we always want the live UI.
if (process.stdin.isTTY && process.stdout.isTTY) {
  delete process.env.CI;
  delete process.env.CONTINUOUS_INTEGRATION;
}
export {};
