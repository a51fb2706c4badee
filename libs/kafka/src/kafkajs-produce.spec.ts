import { ENCODER_MODULE, KafkajsEncoderClass, pooledEncoder } from './kafkajs-encoder';
import {
  framedRequest,
  PRODUCE_V3_MODULE,
  produceRequestV3,
  REQUEST_MODULE,
} from './kafkajs-produce';

/* eslint-disable @typescript-eslint/no-require-imports */
// kafkajs' own modules: the reference whose bytes the replacements must write.
const Original = require(ENCODER_MODULE);
const ownProduce = require(PRODUCE_V3_MODULE);
const ownFraming = require(REQUEST_MODULE);
const Long = require('kafkajs/src/utils/long');
const { Types } = require('kafkajs/src/protocol/message/compression');
/* eslint-enable @typescript-eslint/no-require-imports */

const Pooled = pooledEncoder(Original as KafkajsEncoderClass);

type Encoded = { buffer: Buffer };

const messages = (n: number, partition: number) =>
  Array.from({ length: n }, (_, i) => ({
    key: i % 7 === 0 ? null : `campaign-${partition}`,
    value:
      i % 11 === 0
        ? Buffer.from(`bytes ${i}`)
        : JSON.stringify({ i, text: 'x'.repeat(i * 5), note: 'ünïcode ✓' }),
    headers: i % 40 === 0 ? { 'x-trace': `t${i}`, 'x-many': ['a', Buffer.from('b')] } : undefined,
    timestamp: i % 3 === 0 ? undefined : String(1_764_300_000_000 + i * 1000),
  }));

const topicData = [
  {
    topic: 'message.events',
    partitions: [0, 3].map((partition) => ({
      partition,
      firstSequence: 11 + partition,
      messages: messages(400, partition),
    })),
  },
  { topic: 'campaign.events', partitions: [{ partition: 1, messages: messages(3, 1) }] },
];

describe('produceRequestV3', () => {
  beforeEach(() => jest.spyOn(Date, 'now').mockReturnValue(1_764_300_000_000));
  afterEach(() => jest.restoreAllMocks());

  const both = async (args: object) => {
    const own = ownProduce(args);
    const ours = produceRequestV3(ownProduce, Pooled as never)(args as never);
    expect({ ...ours, encode: undefined, expectResponse: undefined }).toEqual({
      ...own,
      encode: undefined,
      expectResponse: undefined,
    });
    expect(ours.expectResponse()).toBe(own.expectResponse());
    return [
      ((await own.encode()) as Encoded).buffer,
      ((await ours.encode()) as unknown as Encoded).buffer,
    ];
  };

  it("writes kafkajs' bytes for a request of several topics and partitions", async () => {
    const [own, ours] = await both({ acks: -1, timeout: 30000, topicData });
    expect(own.length).toBeGreaterThan(100_000);
    expect(ours).toEqual(own);
  });

  it('and for an idempotent, transactional producer, and acks 0', async () => {
    const [own, ours] = await both({
      acks: 0,
      timeout: 5000,
      transactionalId: 'tx-1',
      producerId: Long.fromNumber(4242),
      producerEpoch: 3,
      topicData,
    });
    expect(ours).toEqual(own);
  });

  it('leaves a compressed batch to kafkajs', async () => {
    const args = { acks: 1, timeout: 100, compression: Types.GZIP, topicData };
    const calls: object[] = [];
    const original = (a: object) => {
      calls.push(a);
      return ownProduce(a);
    };
    produceRequestV3(original as never, Pooled as never)(args as never);
    expect(calls).toEqual([args]);
  });
});

describe('framedRequest', () => {
  it('frames a request as kafkajs does, size first', async () => {
    const request = {
      apiKey: 0,
      apiVersion: 7,
      encode: async () =>
        new (Pooled as never as new () => { writeString(v: string): object })().writeString(
          'payload ✓',
        ),
    };
    const args = { correlationId: 77, clientId: 'executor', request };
    const own = ((await ownFraming(args)) as Encoded).buffer;
    const ours = ((await framedRequest(Pooled as never)(args as never)) as unknown as Encoded)
      .buffer;
    expect(ours).toEqual(own);
    expect(ours.readInt32BE(0)).toBe(ours.length - 4);
  });
});
