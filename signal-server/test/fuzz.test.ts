/**
 * 1,000 seeded random malformed frames from several connections while two good clients keep
 * relaying: the server must answer or close the offenders and never disturb anyone else.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PEER_ID_LENGTH,
  SIGNAL_FRAME_MAX_BYTES,
  SIGNAL_PAYLOAD_MAX_BYTES,
  SIGNAL_TAG,
} from '@peerboard/protocol';
import {
  bytes,
  connect,
  health,
  joinedClient,
  metricsText,
  metricValue,
  startTestServer,
  text,
  type TestClient,
  type TestServer,
} from './helpers';

type Frame = { kind: 'text'; data: string } | { kind: 'binary' | 'rawtext'; data: Uint8Array };

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function frameArb(targets: string[]): fc.Arbitrary<Frame> {
  const asText = (a: fc.Arbitrary<string>) => a.map((data): Frame => ({ kind: 'text', data }));
  const types = fc.constantFrom(
    'hello',
    'join',
    'leave',
    'ping',
    'signal',
    'welcome',
    'joined',
    'error',
    '__proto__',
    'constructor',
  );
  const envelopeId = fc.oneof(
    fc.constantFrom(...targets),
    fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 12, maxLength: 12 }),
    fc
      .uint8Array({ minLength: PEER_ID_LENGTH, maxLength: PEER_ID_LENGTH })
      .map((b) => String.fromCharCode(...b)),
  );
  const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });
  return fc.oneof(
    w(10, asText(fc.string({ maxLength: 300 }))),
    w(10, asText(fc.json({ maxDepth: 3 }))),
    w(
      20,
      asText(
        fc
          .record(
            {
              type: fc.oneof(types, fc.string({ maxLength: 20 }), fc.jsonValue({ maxDepth: 1 })),
              version: fc.jsonValue({ maxDepth: 1 }),
              room: fc.oneof(fc.string({ maxLength: 80 }), fc.jsonValue({ maxDepth: 1 })),
              name: fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 1 })),
              t: fc.jsonValue({ maxDepth: 1 }),
              to: envelopeId,
            },
            { requiredKeys: [] },
          )
          .map((o) => JSON.stringify(o)),
      ),
    ),
    w(5, asText(fc.string({ minLength: 1025, maxLength: 3000 }))),
    w(
      10,
      fc.uint8Array({ maxLength: 2000 }).map((data): Frame => ({ kind: 'binary', data })),
    ),
    // text frames that are not UTF-8: uWS itself drops the connection
    w(
      1,
      fc.uint8Array({ maxLength: 500 }).map((data): Frame => ({ kind: 'rawtext', data })),
    ),
    w(
      20,
      fc
        .tuple(
          envelopeId,
          fc.uint8Array({ maxLength: 300 }),
          fc.constantFrom(SIGNAL_TAG, 0, 2, 255),
        )
        .map(([id, payload, tag]): Frame => {
          const f = new Uint8Array(1 + PEER_ID_LENGTH + payload.length);
          f[0] = tag;
          for (let i = 0; i < PEER_ID_LENGTH; i++) f[1 + i] = id.charCodeAt(i) & 0xff;
          f.set(payload, 1 + PEER_ID_LENGTH);
          return { kind: 'binary', data: f };
        }),
    ),
    // rare: frames over the protocol limit (the server closes 1009) and just under it
    w(
      1,
      fc
        .constantFrom(SIGNAL_FRAME_MAX_BYTES + 1, SIGNAL_PAYLOAD_MAX_BYTES + 14)
        .map((n): Frame => ({ kind: 'binary', data: new Uint8Array(n).fill(SIGNAL_TAG) })),
    ),
  );
}

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe('fuzz', () => {
  it('survives 1,000 random malformed frames while good clients keep relaying', async () => {
    const a = await joinedClient(srv.wsUrl, 'fuzz', 'good-a');
    const b = await joinedClient(srv.wsUrl, 'fuzz', 'good-b');
    const frames = fc.sample(frameArb([a.id, b.id]), { seed: 0x5eed, numRuns: 1000 });

    // B echoes every signal from A back to A.
    let echoed = 0;
    b.c.ws.on('message', (data: Buffer, isBinary) => {
      if (!isBinary || data.length < 13) return;
      if (data.subarray(1, 13).toString('latin1') !== a.id) return;
      b.c.signal(a.id, data.subarray(13));
      echoed++;
    });
    const goodTraffic = (async () => {
      for (let i = 0; i < 200; i++) {
        a.c.signal(b.id, bytes(`round ${i}`));
        // a fuzzer may hit a's id with a valid envelope: skip those, they are not b's echo
        let back = await a.c.next('signal');
        while (back.from !== b.id) back = await a.c.next('signal');
        expect(text(back.payload)).toBe(`round ${i}`);
      }
    })();

    // Four offenders: two greeted and in the room, two that never said hello.
    const offenders = async (index: number) => {
      const greeted = index < 2;
      const open = async (): Promise<TestClient> => {
        const c = await connect(srv.wsUrl);
        if (greeted) {
          await c.hello();
          await c.join('fuzz', `bad-${index}`);
        }
        return c;
      };
      let c = await open();
      let reconnects = 0;
      for (let i = index; i < frames.length; i += 4) {
        if (c.ws.readyState !== c.ws.OPEN) {
          c.ws.terminate();
          c = await open();
          reconnects++;
        }
        const f = frames[i]!;
        if (f.kind === 'text') c.ws.send(f.data);
        else c.ws.send(f.data, { binary: f.kind === 'binary' });
        if (i % 20 === index) await new Promise((r) => setImmediate(r));
      }
      c.ws.terminate();
      return reconnects;
    };
    const reconnects = await Promise.all([0, 1, 2, 3].map(offenders));
    await goodTraffic;

    // the good pair never saw an error or a close, and got every echo
    expect(a.c.all('error')).toEqual([]);
    expect(b.c.all('error')).toEqual([]);
    expect(echoed).toBeGreaterThanOrEqual(200);
    a.c.send({ type: 'ping', t: 1 });
    expect((await a.c.next('pong')).t).toBe(1);
    expect(await health(srv.httpUrl)).toMatchObject({ status: 'ok' });

    const m = await metricsText(srv.httpUrl);
    const rejected = [
      'bad_json',
      'bad_message',
      'unknown_type',
      'too_big',
      'hello_first',
      'not_in_room',
      'no_such_peer',
    ].reduce(
      (sum, r) => sum + metricValue(m, `peerboard_messages_rejected_total{reason="${r}"}`),
      0,
    );
    expect(rejected).toBeGreaterThan(500);
    expect(metricValue(m, 'peerboard_messages_relayed_total')).toBeGreaterThanOrEqual(400);
    expect(reconnects.reduce((x, y) => x + y, 0)).toBeGreaterThan(0);
    await a.c.close();
    await b.c.close();
  }, 60_000);
});
