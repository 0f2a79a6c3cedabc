// One JoinChat stream: the first message names user and room, later TEXTs are
// posted, a LEAVE or the stream's end leaves. Everything it sends goes through
// its outbox; everything it posts goes through the room's post path.
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import type { NoticeKind } from '../protos/generated/chat/NoticeKind.js';
import { authHeader, peerAddress, refusal, type Accounts } from './accounts.js';
import type { Closable, Hub } from './hub.js';
import { Outbox, type Sink } from './outbox.js';
import type { Member, Room } from './room.js';
import { checkRoom, checkUserId, checkUsername, isBlank, sanitizeText, utf8Bytes } from './validate.js';
import { notSent, systemNotice } from './wire.js';
import { metrics } from './metrics.js'; // issue 17: metrics

export interface SessionLimits {
  historyLimit: number;
  maxMessageBytes: number;
  maxQueue: number;
}

type Call = grpc.ServerDuplexStream<ChatMessage__Output, ChatMessage>;

let nextSessionId = 1;
const MAX_WAITING = 100;

export class ChatSession implements Closable {
  private readonly id = nextSessionId++;
  /** claiming: admitted here, waiting for the other servers' word on the name (Redis). */
  private state: 'new' | 'claiming' | 'joined' | 'closed' = 'new';
  /** Who the first message said this is, once admitted. */
  private identity: { username: string; userId: string; room: string } | null = null;
  private room: Room | null = null;
  private member: Member | null = null;
  private readonly outbox: Outbox;
  /** Messages that arrived before the token was checked, or while the name is being claimed. */
  private waiting: ChatMessage__Output[] | null = null;
  /** With accounts: the name the stream's token may speak as. */
  private authorized: string | null = null;
  /** The client connection, for the streams-per-connection cap; null once refused. */
  private readonly peer: string | null;

  constructor(
    private readonly hub: Hub,
    private readonly call: Call,
    private readonly limits: SessionLimits,
  ) {
    // The one place an encoded buffer is written where grpc-js's types expect a
    // ChatMessage: wire.ts's serializer passes buffers through unchanged.
    const sink = call as unknown as Sink;
    this.outbox = new Outbox(sink, limits.maxQueue, (queued) => this.overflow(queued));
    hub.sessions.add(this);
    const peer = call.getPeer();
    const refused = hub.guards.admission.openStream(peer);
    this.peer = refused ? null : peer;
    call.on('data', (msg: ChatMessage__Output) => this.onMessage(msg));
    call.on('end', () => this.close(true, () => call.end()));
    call.on('cancelled', () => this.close(true));
    call.on('error', () => this.close(true));
    call.on('close', () => this.close(true));
    if (refused) this.fail(grpc.status[refused.code], refused.details, false);
    else if (hub.guards.accounts) this.authenticate(hub.guards.accounts);
  }

  private authenticate(accounts: Accounts): void {
    this.waiting = [];
    accounts.verify(authHeader(this.call.metadata), peerAddress(this.call.getPeer())).then(
      (verdict) => {
        if (!verdict.ok) {
          const refused = refusal(verdict.reason);
          return this.fail(grpc.status[refused.code], refused.details, false);
        }
        this.authorized = verdict.username;
        const waiting = this.waiting ?? [];
        this.waiting = null;
        for (const msg of waiting) this.onMessage(msg);
      },
      (err: unknown) => {
        this.hub.log.error(`token check failed: ${String(err)}`);
        this.fail(grpc.status.INTERNAL, 'the server could not check the token; try again', false);
      },
    );
  }

  async shutdown(message: string, graceMs: number): Promise<void> {
    if (this.state === 'closed') return;
    this.notice(message, 'NOTICE_SHUTDOWN');
    // Finish writing what is queued, but never let one stalled reader hold up the exit.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.outbox.idle(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.fail(grpc.status.UNAVAILABLE, `${message}; reconnect to resume`, false);
  }

  private onMessage(msg: ChatMessage__Output): void {
    if (this.waiting) {
      // A client has no reason to send much before its first reply; more is not worth holding.
      if (this.waiting.length < MAX_WAITING) this.waiting.push(msg);
      return;
    }
    if (this.state === 'new') this.start(msg);
    else if (this.state === 'joined') this.handle(msg);
  }

  private start(first: ChatMessage__Output): void {
    const username = checkUsername(first.username);
    if (!username.ok) return this.fail(grpc.status.INVALID_ARGUMENT, `invalid username: ${username.error}`, false);
    const roomId = checkRoom(first.room_id);
    if (!roomId.ok) return this.fail(grpc.status.INVALID_ARGUMENT, `invalid room: ${roomId.error}`, false);
    const userId = checkUserId(first.user_id);
    if (!userId.ok) return this.fail(grpc.status.INVALID_ARGUMENT, `invalid user_id: ${userId.error}`, false);

    if (this.authorized !== null && this.authorized.toLowerCase() !== username.value.toLowerCase()) {
      return this.fail(
        grpc.status.PERMISSION_DENIED,
        `this token belongs to '${this.authorized}'; it cannot speak as '${username.value}'`,
        false,
      );
    }
    const id = userId.value || randomUUID();
    const refused = this.hub.guards.admission.join(username.value, id, roomId.value);
    if (refused) return this.fail(grpc.status[refused.code], refused.details, false);
    const identity = { username: username.value, userId: id, room: roomId.value };
    this.identity = identity;
    this.state = 'claiming';
    this.waiting = [];
    // Other servers sharing Redis may have this name under another user_id.
    void this.hub.presence.claimName(identity.username, identity.userId).then((holder) => {
      if (this.state !== 'claiming') {
        // Ended while asking: a claim made meanwhile must not outlive the identity's streams here.
        if (holder === null && !this.hub.guards.admission.holds(identity.username, identity.userId)) {
          this.hub.presence.releaseName(identity.username, identity.userId);
        }
        return;
      }
      if (holder !== null) {
        return this.fail(
          grpc.status.ALREADY_EXISTS,
          `the name '${identity.username}' is in use by someone else right now (on another server); choose another name`,
          false,
        );
      }
      this.enter(first, identity);
      const waiting = this.waiting ?? [];
      this.waiting = null;
      for (const msg of waiting) this.onMessage(msg);
    }).catch((err: unknown) => {
      this.hub.log.error(`joining ${identity.username} to '${identity.room}' failed: ${String(err)}`);
      this.fail(grpc.status.INTERNAL, 'the server could not join you to this room; try again', true);
    });
  }

  private enter(first: ChatMessage__Output, identity: { username: string; userId: string; room: string }): void {
    this.state = 'joined';
    this.room = this.hub.room(identity.room);
    this.member = { sessionId: this.id, userId: identity.userId, username: identity.username, outbox: this.outbox };
    this.hub.log.info(`User ${this.member.username} (${this.member.userId}) joining room '${this.room.id}'`, { event: 'join', user: this.member.username, room: this.room.id, peer: this.peer ?? undefined }); // issue 17: JSON log fields
    this.room
      .join(this.member, { resumeAfterSeq: first.resume_after_seq, historyLimit: this.limits.historyLimit })
      .catch((err: unknown) => {
        this.hub.log.error(`[${identity.room}] join failed for ${identity.username}: ${String(err)}`);
        this.fail(grpc.status.UNAVAILABLE, 'the server could not load this room from its message store; try again', true);
      });
    if (first.type === 'TEXT') this.postText(first.message);
  }

  private handle(msg: ChatMessage__Output): void {
    switch (msg.type) {
      case 'TEXT':
        return this.postText(msg.message);
      case 'LEAVE':
        return this.close(true, () => this.call.end());
      default:
        // JOIN and SYSTEM from a client mean nothing after the first message.
        return;
    }
  }

  private postText(raw: string): void {
    const { room, member } = this;
    if (!room || !member || isBlank(raw)) return;
    const bytes = utf8Bytes(raw);
    if (bytes > this.limits.maxMessageBytes) {
      const reason = `it is ${bytes} bytes long and the limit is ${this.limits.maxMessageBytes} bytes`;
      metrics.refused.inc({ reason: 'too_long' }); // issue 17: metrics
      return this.outbox.send(this.hub.wire.encode(notSent(this.room?.id ?? '', reason, sanitizeText(raw))));
    }
    const text = sanitizeText(raw);
    if (isBlank(text)) return;
    if (!this.hub.guards.buckets.take(member.userId)) {
      const reason = `you are sending faster than ${this.hub.guards.buckets.describe()} allows; wait a moment`;
      metrics.refused.inc({ reason: 'rate_limited' }); // issue 17: metrics
      return this.outbox.send(this.hub.wire.encode(notSent(room.id, reason, text)));
    }
    if (this.hub.log.enabled('debug')) this.hub.log.debug(`[${room.id}] ${member.username}: ${text}`, { event: 'post', user: member.username, room: room.id, peer: this.peer ?? undefined, text }); // issue 17: message text only at debug
    room.post(
      { user_id: member.userId, username: member.username, message: text, timestamp: Date.now(), type: 'TEXT' },
      { sender: this.outbox },
    );
  }

  private notice(message: string, kind: NoticeKind): void {
    this.outbox.send(this.hub.wire.encode(systemNotice(this.room?.id ?? '', message, kind)));
  }

  private overflow(queued: number): void {
    this.hub.log.warn(`User ${this.member?.username ?? '?'} fell behind (${queued} messages queued); ending the stream`, { event: 'slow_reader', user: this.member?.username, room: this.room?.id, peer: this.peer ?? undefined }); // issue 17: JSON log fields
    this.fail(
      grpc.status.RESOURCE_EXHAUSTED,
      `you fell too far behind (${queued} messages waiting to be read); reconnect to resume`,
      true,
    );
  }

  /** Ends the stream with a status; the client sees code and details. */
  private fail(code: grpc.status, details: string, announce: boolean): void {
    this.close(announce);
    this.call.emit('error', { code, details });
  }

  private close(announce: boolean, then?: () => void): void {
    if (this.state !== 'closed') {
      const wasJoined = this.state === 'joined';
      this.state = 'closed';
      this.hub.sessions.delete(this);
      if (this.peer !== null) this.hub.guards.admission.closeStream(this.peer);
      const who = this.identity;
      if (who && this.hub.guards.admission.leave(who.username, who.userId, who.room)) {
        this.hub.presence.releaseName(who.username, who.userId);
      }
      if (wasJoined && this.room && this.member) {
        this.hub.guards.buckets.forget(this.member.userId);
        this.room.leave(this.member, announce);
        if (announce) this.hub.log.info(`User ${this.member.username} left room '${this.room.id}'`, { event: 'leave', user: this.member.username, room: this.room.id, peer: this.peer ?? undefined }); // issue 17: JSON log fields
        this.hub.release(this.room);
      }
      this.outbox.close();
    }
    then?.();
  }
}
