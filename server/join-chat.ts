// One JoinChat stream (the seed's RPC: one room per stream). With accounts its
// token is checked first; the first message then goes through admit(), and
// (with Redis) the name is claimed on the other servers; from then on TEXTs are
// posted and a LEAVE or the client's half-close leaves. Messages that arrive
// while it waits on the token or the claim are held and handled in order.
// Everything it sends goes through its outbox; the room work is Membership's.
//
// A stream ends one way, by name:
//   refuse(r)   it never got in: the client gets r; nobody else knew it was there.
//   leave()     the client's choice: the room sees it leave, the stream ends OK.
//   drop(s)     the server or the network ended it: the room sees it leave;
//               the client gets s when it is still there to get it.
//   shutdown()  the server is stopping: the client gets UNAVAILABLE and no
//               LEAVE is stored, because it will resume on a server that is up.
import * as grpc from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ChatMessage__Output } from '../protos/generated/chat/ChatMessage.js';
import { authHeader, peerAddress, refusal, type Accounts } from './accounts.js';
import { admit } from './admit.js';
import { Membership, newSessionId, type MembershipContext } from './membership.js';
import { Outbox, type Sink } from './outbox.js';
import type { Closable, Refusal, Status } from './types.js';
import { roomWork } from './turn-budget.js';
import { systemNotice } from './wire.js';

export interface StreamContext extends MembershipContext {
  /** Every open stream of this server, so it can end them as it stops. */
  streams: Set<Closable>;
  /** null: no accounts, anyone may pick a free name. */
  accounts: Accounts | null;
  limits: MembershipContext['limits'] & { maxQueue: number };
}

type Call = grpc.ServerDuplexStream<ChatMessage__Output, ChatMessage>;

/** A client has no reason to send much before its first reply; more is not worth holding. */
const MAX_WAITING = 100;
/** The longest a leaving stream waits for its last posts to be stored and written. */
const LEAVE_FLUSH_MS = 5000;

export class JoinChatStream implements Closable {
  private readonly id = newSessionId();
  /** leaving: the client is done (half-close or LEAVE); what it is owed is being written. */
  private state: 'authenticating' | 'new' | 'claiming' | 'joined' | 'leaving' | 'closed' = 'new';
  /** What arrived while authenticating or claiming. */
  private waiting: ChatMessage__Output[] | null = null;
  /** With accounts: the name the stream's token may speak as. */
  private tokenName: string | null = null;
  private membership: Membership | null = null;
  private readonly outbox: Outbox;
  /** The client connection, for the streams-per-connection cap; null when that cap refused it. */
  private readonly peer: string | null;

  constructor(
    private readonly call: Call,
    private readonly ctx: StreamContext,
  ) {
    // The one place an encoded buffer is written where grpc-js's types expect a
    // ChatMessage: wire.ts's serializer passes buffers through unchanged.
    this.outbox = new Outbox(call as unknown as Sink, ctx.limits.maxQueue, (queued) => this.overflow(queued));
    ctx.streams.add(this);
    const peer = call.getPeer();
    const refused = ctx.admission.openStream(peer);
    this.peer = refused ? null : peer;
    call.on('data', (msg: ChatMessage__Output) => this.onMessage(msg));
    call.on('end', () => this.leave());
    // One listener for the three ways a stream goes away under us.
    const gone = (): void => this.drop(null);
    call.on('cancelled', gone);
    call.on('error', gone);
    call.on('close', gone);
    if (refused) this.refuse(refused);
    else if (ctx.accounts) this.authenticate(ctx.accounts);
  }

  async shutdown(message: string, graceMs: number): Promise<void> {
    if (this.state === 'closed') return;
    this.outbox.send(this.ctx.wire.encode(systemNotice(this.membership?.identity.room ?? '', message, 'NOTICE_SHUTDOWN')));
    // Finish writing what is queued, but never let one stalled reader hold up the exit.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.outbox.idle(), new Promise((r) => (timer = setTimeout(r, graceMs)))]);
    clearTimeout(timer);
    this.end(false, { code: 'UNAVAILABLE', details: `${message}; reconnect to resume` });
  }

  private authenticate(accounts: Accounts): void {
    this.state = 'authenticating';
    accounts.verify(authHeader(this.call.metadata), peerAddress(this.call.getPeer())).then(
      (verdict) => {
        if (this.state !== 'authenticating') return;
        if (!verdict.ok) return this.refuse(refusal(verdict.reason));
        this.tokenName = verdict.username;
        this.resume('new');
      },
      (err: unknown) => {
        this.ctx.log.error(`token check failed: ${String(err)}`);
        this.refuse({ code: 'INTERNAL', details: 'the server could not check the token; try again' });
      },
    );
  }

  private onMessage(msg: ChatMessage__Output): void {
    switch (this.state) {
      case 'authenticating':
      case 'claiming':
        if ((this.waiting ??= []).length < MAX_WAITING) this.waiting.push(msg);
        return;
      case 'new':
        return this.start(msg);
      case 'joined':
        if (msg.type === 'TEXT') this.membership?.post(msg.message, msg.client_msg_id);
        else if (msg.type === 'LEAVE') this.leave();
        // JOIN and SYSTEM from a client mean nothing after the first message.
        return;
      case 'leaving':
      case 'closed':
        return;
    }
  }

  /** Out of a waiting state: what arrived meanwhile is handled now, in order. */
  private resume(state: 'new' | 'joined'): void {
    this.state = state;
    const waiting = this.waiting;
    this.waiting = null;
    for (const msg of waiting ?? []) this.onMessage(msg);
  }

  private start(first: ChatMessage__Output): void {
    const admitted = admit(first, { tokenName: this.tokenName, here: this.ctx.admission, newUserId: randomUUID });
    if (!admitted.ok) return this.refuse(admitted.refusal);
    const membership = new Membership(admitted.identity, this.id, this.outbox, this.ctx, this.peer ?? undefined);
    this.membership = membership;
    const claim = membership.claimElsewhere();
    if (!claim) return this.enter(membership, first);
    this.state = 'claiming';
    claim
      .then((refused) => {
        if (this.state !== 'claiming') return;
        if (refused) return this.refuse(refused);
        this.enter(membership, first);
        this.resume('joined');
      })
      .catch((err: unknown) => {
        const { username, room } = membership.identity;
        this.ctx.log.error(`joining ${username} to '${room}' failed: ${String(err)}`);
        this.drop({ code: 'INTERNAL', details: 'the server could not join you to this room; try again' });
      });
  }

  private enter(membership: Membership, first: ChatMessage__Output): void {
    this.state = 'joined';
    membership.enter(first.resume_after_seq).catch((err: unknown) => {
      const { username, room } = membership.identity;
      this.ctx.log.error(`[${room}] join failed for ${username}: ${String(err)}`);
      this.drop({ code: 'UNAVAILABLE', details: 'the server could not load this room from its message store; try again' });
    });
    if (first.type === 'TEXT') membership.post(first.message, first.client_msg_id);
  }

  private overflow(queued: number): void {
    const who = this.membership?.identity;
    this.ctx.log.warn(`User ${who?.username ?? '?'} fell behind (${queued} messages queued); ending the stream`, {
      event: 'slow_reader',
      user: who?.username,
      room: who?.room,
      peer: this.peer ?? undefined,
    });
    this.drop({ code: 'RESOURCE_EXHAUSTED', details: `you fell too far behind (${queued} messages waiting to be read); reconnect to resume` });
  }

  private refuse(refused: Refusal): void {
    this.end(false, refused);
  }

  /**
   * The client is done (half-close or LEAVE). Before the stream ends with OK,
   * what it posted is stored and echoed and everything queued for it is
   * written, so a client that half-closes right after its last post still
   * sees that post's echo. A stalled store or reader cannot hold it for long.
   */
  private leave(): void {
    const membership = this.membership;
    if (this.state !== 'joined' || !membership) {
      if (this.state !== 'leaving') this.end(true, null);
      // Also after another ending: a client's half-close always gets the server's.
      if (this.state === 'closed') this.call.end();
      return;
    }
    this.state = 'leaving';
    // In its turn of room work: a client that cancels half-closes first ('end',
    // then 'cancelled'), and thousands do at once in a reconnect storm; by then
    // most are gone, with nothing left to write.
    roomWork.defer(() => {
      if (this.state === 'leaving') this.finishLeaving(membership);
    });
  }

  private finishLeaving(membership: Membership): void {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<void>((resolve) => (timer = setTimeout(resolve, LEAVE_FLUSH_MS)));
    void Promise.race([membership.settled().then(() => this.outbox.idle()), limit]).then(() => {
      clearTimeout(timer);
      if (this.state !== 'leaving') return;
      this.end(true, null);
      this.call.end();
    });
  }

  /** `status` null: the client is gone (cancelled, connection lost); there is no one to tell. */
  private drop(status: Status | null): void {
    this.end(true, status);
  }

  /**
   * The one way out, taken once (a later ending finds nothing to do): frees
   * what the stream held, the room hears a LEAVE when `announce`, and the
   * client gets `status`.
   */
  private end(announce: boolean, status: Status | null): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.ctx.streams.delete(this);
    if (this.peer !== null) this.ctx.admission.closeStream(this.peer);
    this.outbox.close();
    // The room's side (leaving it, its LEAVE, the name) in its turn of room
    // work: a dropped connection ends all its streams in one callback, and
    // their rooms need not hear of it inside that callback (the outbox, closed
    // now, writes nothing meanwhile).
    const membership = this.membership;
    if (membership) roomWork.defer(() => membership.leave(announce));
    if (status) this.call.emit('error', { code: grpc.status[status.code], details: status.details });
  }
}
