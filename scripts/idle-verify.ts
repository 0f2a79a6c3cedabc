// The idle bench's loss check after the reconnect storm: every seq a stream
// skipped is looked up in its room's stored history (GetHistory). The only
// seq a stream may miss is a JOIN announcing it, which the server does not send
// to the people it announces; anything else is lost. A JOIN is coalesced
// ("u1, u2 and 48 others joined the room"), so a skipped one counts as the
// stream's own when it names the stream, or, when it names only some of its
// subjects, as long as no more streams skipped it than it has subjects. A
// stream whose newest seq is behind its room's newest is counted too.
import * as grpc from '@grpc/grpc-js';
import { loadChatPackage } from '../protos/load.js';
import type { HistoryPage__Output } from '../protos/generated/chat/HistoryPage.js';
import type { Stream, Verdict } from './idle-wire.js';

/** Checks every stream's skipped seqs against its room's stored history. */
export async function verify(port: number, streams: readonly Stream[]): Promise<Verdict> {
  const verdict: Verdict = { lost: 0, ownJoins: 0, dups: 0, behind: 0, examples: [] };
  const { proto } = loadChatPackage();
  const client = new proto.chat.ChatService(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  const byRoom = new Map<string, Stream[]>();
  for (const s of streams) byRoom.set(s.room, [...(byRoom.get(s.room) ?? []), s]);
  for (const [room, members] of byRoom) {
    const history = new Map<number, { type: string; message: string }>();
    let before = 0;
    let newest = 0;
    for (;;) {
      const page = await new Promise<HistoryPage__Output>((resolve, reject) =>
        client.GetHistory({ room_id: room, before_seq: before, limit: 500 }, (e, p) => (e || !p ? reject(e) : resolve(p))),
      );
      for (const m of page.messages) {
        history.set(m.seq, { type: m.type, message: m.message });
        newest = Math.max(newest, m.seq);
      }
      const oldest = page.messages[0]?.seq;
      if (page.reached_start || oldest === undefined) break;
      before = oldest;
    }
    /** Who skipped each seq. */
    const skippers = new Map<number, string[]>();
    for (const s of members) {
      verdict.dups += s.seqDups;
      if (s.lastSeq < newest) {
        verdict.behind++;
        if (verdict.examples.length < 5) verdict.examples.push(`${s.name} in ${room}: newest seen ${s.lastSeq}, room at ${newest}`);
      }
      for (let k = 0; k < s.gaps.length; k += 2) {
        for (let seq = s.gaps[k] as number; seq <= (s.gaps[k + 1] as number); seq++) {
          const list = skippers.get(seq);
          if (list) list.push(s.name);
          else skippers.set(seq, [s.name]);
        }
      }
    }
    for (const [seq, names] of skippers) {
      const m = history.get(seq);
      const joined = m?.type === 'JOIN' ? subjectsOf(m.message) : null;
      for (const name of names) {
        const own = joined !== null && (joined.names.includes(name) || (joined.unnamed > 0 && names.length <= joined.names.length + joined.unnamed));
        if (own) verdict.ownJoins++;
        else {
          verdict.lost++;
          if (verdict.examples.length < 5) verdict.examples.push(`${name} in ${room} missed seq ${seq} (${m ? `${m.type} "${m.message}"` : 'not stored'})`);
        }
      }
    }
  }
  client.close();
  return verdict;
}

/** Who a JOIN's text names, and how many more it counts: "u1 joined the room", "u1, u2 and u3 ...", "u1, u2 and 48 others ...". */
function subjectsOf(text: string): { names: string[]; unnamed: number } | null {
  const list = /^(.*) joined the room$/.exec(text)?.[1];
  if (list === undefined) return null;
  const counted = /^(.*) and (\d+) others$/.exec(list);
  const named = counted ? (counted[1] ?? '') : list;
  const names = named.split(/, | and /);
  return { names, unnamed: counted ? Number(counted[2]) : 0 };
}
