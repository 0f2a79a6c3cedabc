// The message pane's place on screen (issue 15): search results, a result in
// its context, or (the children) the room's live messages.
import React from 'react';
import { useStore } from 'zustand';
import { searchMode } from '../search.js';
import type { SearchController } from '../search-actions.js';
import type { ChatStore } from '../store.js';
import { ContextPane } from './ContextPane.js';
import { SearchPane } from './SearchPane.js';

export function SearchArea({
  store,
  search,
  width,
  height,
  children,
}: {
  store: ChatStore;
  search: Pick<SearchController, 'edge'>;
  width: number;
  height: number;
  children: React.ReactNode;
}) {
  const mode = useStore(store, searchMode);
  if (mode === 'results') return <SearchPane store={store} width={width} height={height} />;
  if (mode === 'context') return <ContextPane store={store} width={width} height={height} onEdge={search.edge} />;
  return <>{children}</>;
}
