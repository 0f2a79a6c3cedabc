// Stands in for react-devtools-core in the chat-tui bundle: Ink loads it only
// when DEV=true, and chat-tui does not ship the React devtools.
export default {
  initialize() {},
  connectToDevTools() {},
};
