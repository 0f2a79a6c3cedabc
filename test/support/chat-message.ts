// A decoded ChatMessage with every field at its default, as proto-loader
// (defaults: true) hands one over: fixtures spread it and set what they test,
// so a new field in chat.proto does not break each of them.
import type { ChatMessage__Output } from '../../protos/generated/chat/ChatMessage.js';

export function decodedMessage(over: Partial<ChatMessage__Output> = {}): ChatMessage__Output {
  return {
    user_id: '', username: '', message: '', timestamp: 0, type: 'TEXT', room_id: '', seq: 0,
    notice: 'NOTICE_NONE', refused: '', client_msg_id: '', retry_after_ms: 0,
    reply_to: 0, reply_quote: '', action: 'ACTION_NONE', target_seq: 0, subject: '', detail: '', minutes: 0,
    edited: false, deleted: false, reactions: [],
    ...over,
  };
}
