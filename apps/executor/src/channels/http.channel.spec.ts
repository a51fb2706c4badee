import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ChannelError, OutboundMessage } from './channel';
import { HttpChannel } from './http.channel';

interface Seen {
  headers: http.IncomingHttpHeaders;
  body: any;
}

/** A receiver on loopback that records each POST and answers with `answer(body)`. */
async function receiver(answer: (body: any) => { status: number; body?: string }) {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const body = JSON.parse(raw);
      seen.push({ headers: req.headers, body });
      const a = answer(body);
      res.writeHead(a.status, { 'content-type': 'application/json' });
      res.end(a.body ?? '');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`;
  return { seen, url, close: () => new Promise((r) => server.close(r)) };
}

const message = (url: string, id: string): OutboundMessage => ({
  deliveryId: id,
  to: url,
  url,
  payload: { deliveryId: id, contact: { email: `${id}@x.example` } },
  batchSize: 10,
});

describe('HttpChannel', () => {
  const loopback = { allowPrivate: false, allowlist: ['127.0.0.1/32'] };
  let channel: HttpChannel;
  beforeEach(() => (channel = new HttpChannel(5000, loopback)));
  afterEach(() => channel.close());

  it('sendMany posts the messages as one {"messages": [...]} with a batch size and a key that is the same for the same messages', async () => {
    const r = await receiver(() => ({ status: 202 }));
    const ids = ['d1', 'd2', 'd3'];
    const outcomes = await channel.sendMany(ids.map((id) => message(r.url, id)));
    await channel.sendMany(ids.map((id) => message(r.url, id)));
    expect(outcomes).toEqual(
      ids.map(() => ({ ok: true, result: { providerMessageId: undefined } })),
    );
    expect(r.seen).toHaveLength(2);
    expect(r.seen[0].body.messages.map((m: any) => m.deliveryId)).toEqual(ids);
    expect(r.seen[0].body.messages[1].contact.email).toBe('d2@x.example');
    expect(r.seen[0].headers['x-batch-size']).toBe('3');
    expect(r.seen[0].headers['idempotency-key']).toMatch(/^batch-[0-9a-f]{32}$/);
    expect(r.seen[1].headers['idempotency-key']).toBe(r.seen[0].headers['idempotency-key']);
    await r.close();
  });

  it('per-message results in a 2xx answer decide each listed message; unlisted ones take the answer status', async () => {
    const r = await receiver(() => ({
      status: 200,
      body: JSON.stringify({
        results: [
          { deliveryId: 'd1', status: 202, messageId: 'm-1' },
          { deliveryId: 'd2', status: 422 },
          { deliveryId: 'd3', status: 503 },
          { deliveryId: 'd4', status: 'bad' },
        ],
      }),
    }));
    const outcomes = await channel.sendMany(
      ['d1', 'd2', 'd3', 'd4'].map((id) => message(r.url, id)),
    );
    expect(outcomes[0]).toEqual({ ok: true, result: { providerMessageId: 'm-1' } });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { code: 'HTTP_422', kind: 'permanent' },
    });
    expect(outcomes[2]).toMatchObject({
      ok: false,
      error: { code: 'HTTP_503', kind: 'temporary' },
    });
    expect(outcomes[3]).toEqual({ ok: true, result: { providerMessageId: undefined } });
    await r.close();
  });

  it('a non-2xx answer applies to every message of the batch', async () => {
    const r = await receiver(() => ({
      status: 429,
      body: '{"results":[{"deliveryId":"d1","status":200}]}',
    }));
    const outcomes = await channel.sendMany(['d1', 'd2'].map((id) => message(r.url, id)));
    for (const o of outcomes)
      expect(o).toMatchObject({ ok: false, error: { code: 'HTTP_429', kind: 'temporary' } });
    await r.close();
  });

  it('a refused target or a closed port fails the batch before anything leaves, and single sends keep their classes', async () => {
    const blocked = await channel.sendMany([message('http://10.1.2.3/hook', 'd1')]);
    expect(blocked[0]).toMatchObject({
      ok: false,
      error: { code: 'SSRF_BLOCKED', kind: 'permanent' },
    });
    const r = await receiver(() => ({ status: 200 }));
    const url = r.url;
    await r.close();
    const refused = await channel.sendMany([message(url, 'd1'), message(url, 'd2')]);
    for (const o of refused)
      expect(o).toMatchObject({
        ok: false,
        error: { code: 'HTTP_ECONNREFUSED', kind: 'temporary' },
      });
    await expect(channel.send(message('http://10.1.2.3/hook', 'd1'))).rejects.toBeInstanceOf(
      ChannelError,
    );
  });
});
