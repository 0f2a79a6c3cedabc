// Stands in for terminal-size in the chat-tui bundle. Ink asks it for the
// size only when stdout is not a terminal (a pipe); chat-tui's full screen
// runs only on a terminal, and the real module loads node:child_process at
// start-up (~5 ms) for a fallback that would run `tput` or `resize`.
export default function terminalSize() {
  return { columns: process.stdout.columns || 80, rows: process.stdout.rows || 24 };
}
