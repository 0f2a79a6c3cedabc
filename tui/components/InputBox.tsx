import { Text } from 'ink';
import React from 'react';
import { useStore } from 'zustand';
import { visible } from '../format.js';
import type { ChatStore } from '../store.js';

export function InputBox({ store, width }: { store: ChatStore; width: number }) {
  const input = useStore(store, (s) => s.input);
  const room = useStore(store, (s) => s.current);
  // Tab completion can bring a server-sent name in here: placeholders, never raw control bytes.
  const prompt = `[#${visible(room)}] `;
  // Show the end of a long line, as a terminal prompt does.
  const room_for_text = Math.max(1, width - prompt.length - 1);
  const shown = visible(input.length > room_for_text ? input.slice(input.length - room_for_text) : input);
  return (
    <Text wrap="truncate">
      <Text bold>{prompt}</Text>
      {shown}
      <Text inverse> </Text>
    </Text>
  );
}
