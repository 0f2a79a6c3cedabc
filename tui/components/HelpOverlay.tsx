import { Box, Text } from 'ink';
import React from 'react';

const CLOSE = 'Esc, Enter, q or a click closes this help.';

export const HELP_LINES = [
  'Keys',
  '  Enter              send;  Alt+Enter, Shift+Enter or Ctrl+J: a new line in the message',
  '  Ctrl+N / Ctrl+P    next / previous room (also Alt+Down / Alt+Up)',
  '  Alt+1..9, a click  jump to a room (a click on its name in the sidebar or the room bar)',
  '  PgUp / PgDn, wheel scroll (older history loads from the server)',
  '  End (empty) / Esc  back to the live bottom',
  '  Up / Down          earlier input (in a multi-line message: the line above / below)',
  '  Tab                complete a name, a command, or a room after /join or #',
  '  Ctrl+R             search this room\'s history (/search <words>)',
  '  Ctrl+S             select a message: Up/Down move, r reply, e edit (yours), d delete, + react,',
  '                     w who reacted, Enter on a reply: its original, Esc done (Esc also cancels a reply)',
  '  F1  this help      Ctrl+C  quit',
  'Editing',
  '  Ctrl+A / Ctrl+E, Home / End             start / end of the line',
  '  Ctrl+B / Ctrl+F, Left / Right           a character back / on',
  '  Alt+B / Alt+F, Ctrl+Left / Ctrl+Right   a word back / on',
  '  Ctrl+W, Alt+Backspace / Alt+D           delete the word before / after the cursor',
  '  Ctrl+U / Ctrl+K                         delete to the start / end of the line',
  '  Ctrl+Y / Alt+Y                          put back what was deleted / an older one',
  '  Delete, Ctrl+D                          delete the character under the cursor',
  'Commands',
  '  /join <room>   join and switch     /leave     leave this room (every terminal of yours)',
  "  /rooms         the server's rooms  /who       who is here: online, away, offline",
  '  /msg <name> <text>  a direct message (@name in the sidebar)   /query <name>  open one',
  '  /away [reason] marked away         /back      not away any more',
  '  /me <action>   an action           /help      this help',
  '  /search <words> find in this room\'s history: Up/Down, Enter shows it in context',
  '  /edit <text>   edit your last message here   /delete   delete it   /react <emoji|:code:>  the last one',
  '  /reactions     who reacted to the last message with reactions',
  '  /topic [text]  show or set the topic   /op /deop <name>   /invite <name>   /private on|off',
  '  /kick /ban <name> [reason]   /unban <name>   /mute <name> [minutes] [reason]   /unmute <name>',
  '  /quit /exit /q quit                //text     send text starting with /',
  CLOSE,
];

/** The help in `height` rows: what does not fit is cut from the end, but the way to close it always shows. */
export function HelpOverlay({ width, height }: { width: number; height: number }) {
  const room = Math.max(0, height - 2);
  const lines = HELP_LINES.length <= room ? HELP_LINES : room <= 0 ? [] : [...HELP_LINES.slice(0, room - 1), CLOSE];
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1}>
      {lines.map((l, i) => (
        <Text key={i} wrap="truncate" bold={l === 'Keys' || l === 'Editing' || l === 'Commands'}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
