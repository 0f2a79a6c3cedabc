import { Box, Text } from 'ink';
import React from 'react';

export const HELP_LINES = [
  'Keys',
  '  Enter              send',
  '  Ctrl+N / Ctrl+P    next / previous room (also Alt+Down / Alt+Up)',
  '  Alt+1..9           jump to room N',
  '  PgUp / PgDn        scroll a page (older history loads from the server)',
  '  End (empty) / Esc  back to the live bottom',
  '  Up / Down          earlier input',
  '  Tab                complete a name or a command',
  '  Ctrl+F             search this room\'s history (/search <words>)',
  '  F1                 this help;  Ctrl+C  quit',
  'Commands',
  '  /join <room>   join and switch     /leave     leave this room',
  '  /rooms         the server\'s rooms  /who       who is here',
  '  /me <action>   an action           /help      this help',
  '  /search <words> find in this room\'s history: Up/Down, Enter shows it in context',
  '  /quit /exit /q quit                //text     send text starting with /',
  '',
  'Esc, Enter or q closes this help.',
];

export function HelpOverlay({ width, height }: { width: number; height: number }) {
  return (
    <Box flexDirection="column" width={width} height={height} borderStyle="round" paddingX={1}>
      {HELP_LINES.slice(0, Math.max(0, height - 2)).map((l, i) => (
        <Text key={i} wrap="truncate" bold={l === 'Keys' || l === 'Commands'}>
          {l}
        </Text>
      ))}
    </Box>
  );
}
