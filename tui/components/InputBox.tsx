import { Box, Text } from 'ink';
import React from 'react';
import stringWidth from 'string-width';
import type { InputLayout } from '../editor-layout.js';
import { visible } from '../format.js';
import { graphemes } from '../graphemes.js';


/** A row split around the cell the cursor is on: before it, the cluster under it (a space at the end), after it. */
export function splitAtCell(row: string, column: number): [string, string, string] {
  let col = 0;
  for (const { segment, index } of graphemes(row)) {
    if (col >= column) return [row.slice(0, index), segment, row.slice(index + segment.length)];
    col += stringWidth(segment);
  }
  return [row, ' ', ''];
}

/** "[#general] " (or "[@Bob] "): which room Enter sends to; `label` is roomLabel's, "#" added to a bare name. */
export function promptFor(label: string): string {
  // Tab completion can bring a server-sent name in here: placeholders, never raw control bytes.
  const named = label.startsWith('#') || label.startsWith('@') ? label : `#${label}`;
  return `[${visible(named)}] `;
}

/**
 * The input: the prompt, then the text as the editor laid it out (tui/editor.ts
 * layout) with an inverse cursor cell. It shows `height` rows, the window
 * following the cursor when the text has more.
 */
export function InputBox({ prompt, input, height, width, banner }: { prompt: string; input: InputLayout; height: number; width: number; banner?: string }) {
  // Issue 16: "replying to Alice: …" above the input, when there is room for both.
  const withBanner = Boolean(banner) && height >= 2;
  const shown = Math.max(1, height - (withBanner ? 1 : 0));
  const start = Math.max(0, Math.min(input.row - shown + 1, input.rows.length - shown));
  const pad = ' '.repeat(stringWidth(prompt));
  const rows = input.rows.slice(start, start + shown);
  return (
    <Box flexDirection="column" width={width} height={shown + (withBanner ? 1 : 0)}>
      {withBanner ? (
        <Text wrap="truncate" dimColor>
          {visible(banner ?? '')}
        </Text>
      ) : null}
      {rows.map((row, i) => {
        const at = start + i;
        // Rows above the window: the first shown row's margin says so.
        const margin = at === 0 ? <Text bold>{prompt}</Text> : <Text dimColor>{i === 0 ? `${pad.slice(1)}↑` : pad}</Text>;
        if (at !== input.row) {
          return (
            <Text key={at} wrap="truncate">
              {margin}
              {visible(row)}
            </Text>
          );
        }
        const [before, under, after] = splitAtCell(row, input.column);
        return (
          <Text key={at} wrap="truncate">
            {margin}
            {visible(before)}
            <Text inverse>{visible(under)}</Text>
            {visible(after)}
          </Text>
        );
      })}
    </Box>
  );
}

/** Issue 16: what the input is while a reply, an edit or a reaction is being written. */
export function composeBanner(compose: { kind: 'reply' | 'edit' | 'react'; quote: string } | null): string {
  if (!compose) return '';
  const quote = compose.quote.replace(/\s+/g, ' ');
  if (compose.kind === 'reply') return `replying to ${quote}  (Esc cancels)`;
  if (compose.kind === 'edit') return `editing your message  (Enter saves, Esc cancels)`;
  return `react to ${quote} with an emoji or :shortcode:  (Esc cancels)`;
}
