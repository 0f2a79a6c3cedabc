// A grpc-js server interceptor (installed only with --metrics-port) that
// counts open streaming calls by kind and finished calls by method and status.
import * as grpc from '@grpc/grpc-js';
import { metrics } from './metrics.js';

/** The kind label for a streaming method's path. */
export function streamKind(path: string): string {
  if (path === '/chat.ChatService/JoinChat') return 'chat';
  if (path === '/grpc.health.v1.Health/Watch') return 'health_watch';
  if (path.startsWith('/grpc.reflection.')) return 'reflection';
  return 'other';
}

export const countCalls: grpc.ServerInterceptor = (method, call) => {
  const kind = method.requestStream || method.responseStream ? streamKind(method.path) : null;
  // Only registered methods reach interceptors, so this label has a fixed set of values.
  const name = method.path.slice(method.path.lastIndexOf('/') + 1);
  let finished = false;
  const finish = (code: string): void => {
    // A cancelled call may still try to send a status afterwards: count it once.
    if (finished) return;
    finished = true;
    if (kind) metrics.streams.dec({ kind });
    metrics.calls.inc({ method: name, code });
  };
  return new grpc.ServerInterceptingCall(call, {
    start(next) {
      if (kind) metrics.streams.inc({ kind });
      next({ onCancel: () => finish('CANCELLED') });
    },
    sendStatus(status, next) {
      finish(grpc.status[status.code] ?? String(status.code));
      next(status);
    },
  });
};
