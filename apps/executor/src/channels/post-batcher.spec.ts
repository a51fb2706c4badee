import { Channel, ChannelError, OutboundMessage, SendOutcome } from './channel';
import { PostBatcher } from './post-batcher';

const msg = (id: string, url = 'http://hooks.example/in', batchSize = 3): OutboundMessage => ({
  deliveryId: id,
  to: url,
  url,
  payload: { deliveryId: id },
  batchSize,
});

/** An inner channel that records what it was asked and answers with `answer`. */
function recorder(answer: (ms: OutboundMessage[]) => Promise<SendOutcome[]>) {
  const singles: string[] = [];
  const batches: string[][] = [];
  const inner: Channel = {
    kind: 'webhook',
    send: async (m) => {
      singles.push(m.deliveryId);
      return { providerMessageId: `one-${m.deliveryId}` };
    },
    sendMany: async (ms) => {
      batches.push(ms.map((m) => m.deliveryId));
      return answer(ms);
    },
    close: async () => undefined,
  };
  return { inner, singles, batches };
}

const allOk = async (ms: OutboundMessage[]): Promise<SendOutcome[]> =>
  ms.map((m) => ({ ok: true, result: { providerMessageId: `p-${m.deliveryId}` } }));

describe('PostBatcher', () => {
  it('sends messages for one URL that are ready together as batches of at most batchSize, each caller getting its own result', async () => {
    const r = recorder(allOk);
    const b = new PostBatcher(r.inner);
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const results = await Promise.all(ids.map((id) => b.send(msg(id))));
    expect(r.batches).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e'],
    ]);
    expect(results.map((x) => x.providerMessageId)).toEqual(ids.map((id) => `p-${id}`));
    expect(r.singles).toEqual([]);
  });

  it('keeps URLs and batch sizes apart, and sends messages without a batch size one by one', async () => {
    const r = recorder(allOk);
    const b = new PostBatcher(r.inner);
    await Promise.all([
      b.send(msg('a', 'http://one.example/')),
      b.send(msg('b', 'http://two.example/')),
      b.send(msg('c', 'http://one.example/')),
      b.send(msg('d', 'http://one.example/', 5)),
      b.send(msg('e', 'http://one.example/', 1)),
      b.send({ ...msg('f'), batchSize: undefined }),
    ]);
    expect(r.batches.sort()).toEqual([['a', 'c'], ['b'], ['d']]);
    expect(r.singles).toEqual(['e', 'f']);
  });

  it('messages that come in a later turn of the event loop go in a later batch', async () => {
    const r = recorder(allOk);
    const b = new PostBatcher(r.inner);
    const first = b.send(msg('a'));
    await new Promise((resolve) => setImmediate(resolve));
    await Promise.all([first, b.send(msg('b'))]);
    expect(r.batches).toEqual([['a'], ['b']]);
  });

  it('a failed message rejects only its own caller, with its code and kind', async () => {
    const r = recorder(async (ms) =>
      ms.map((m) =>
        m.deliveryId === 'b'
          ? { ok: false, error: { code: 'HTTP_422', message: 'no', kind: 'permanent' } }
          : { ok: true, result: {} },
      ),
    );
    const b = new PostBatcher(r.inner);
    const settled = await Promise.allSettled(['a', 'b', 'c'].map((id) => b.send(msg(id))));
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const err = (settled[1] as PromiseRejectedResult).reason as ChannelError;
    expect(err).toBeInstanceOf(ChannelError);
    expect([err.code, err.kind]).toEqual(['HTTP_422', 'permanent']);
  });

  it('a batch that failed as a whole, or left a message without an outcome, fails those messages; an unclassified error is uncertain', async () => {
    const thrown = recorder(async () => {
      throw new Error('thread gone');
    });
    const b = new PostBatcher(thrown.inner);
    const errs = await Promise.allSettled(['a', 'b'].map((id) => b.send(msg(id))));
    for (const e of errs) {
      const reason = (e as PromiseRejectedResult).reason as ChannelError;
      expect([reason.code, reason.kind]).toEqual(['CHANNEL_ERROR', 'uncertain']);
    }

    const short = recorder(async () => [{ ok: true, result: {} }]);
    const s = new PostBatcher(short.inner);
    const out = await Promise.allSettled(['a', 'b'].map((id) => s.send(msg(id))));
    expect(out[0].status).toBe('fulfilled');
    expect(((out[1] as PromiseRejectedResult).reason as ChannelError).kind).toBe('uncertain');
  });
});
