/* eslint-disable @typescript-eslint/no-require-imports -- kafkajs' internals, by path */
import { crc32c } from './crc32c';

/** kafkajs' Produce request v3, which v4 to v7 extend (only their version number differs). */
export const PRODUCE_V3_MODULE = 'kafkajs/src/protocol/requests/produce/v3/request';
/** kafkajs' framing of every request: size, api key and version, correlation id, client id. */
export const REQUEST_MODULE = 'kafkajs/src/protocol/request';

/** The part of kafkajs 2.2's Encoder this file writes with. */
interface Writer {
  buf: Buffer;
  offset: number;
  writeInt8(value: number): this;
  writeInt16(value: number): this;
  writeInt32(value: number): this;
  writeUInt32(value: number): this;
  writeInt64(value: unknown): this;
  writeString(value: string | null): this;
  writeVarInt(value: number): this;
  writeVarLong(value: unknown): this;
  writeVarIntString(value: string | null): this;
  writeVarIntBytes(value: unknown): this;
  writeEncoder(value: Writer): this;
  size(): number;
}

interface WriterClass {
  new (initialSize?: number): Writer;
  sizeOfVarInt(value: number): number;
  sizeOfVarLong(value: unknown): number;
  sizeOfVarIntBytes(value: unknown): number;
}

interface Message {
  key?: unknown;
  value?: unknown;
  headers?: Record<string, unknown>;
  timestamp?: number | string | null;
}

interface PartitionData {
  partition: number;
  messages: Message[];
  firstSequence?: number;
}

interface ProduceArgs {
  acks: number;
  timeout: number;
  transactionalId?: string | null;
  producerId?: unknown;
  producerEpoch?: number;
  compression?: number;
  topicData: { topic: string; partitions: PartitionData[] }[];
}

type ProduceRequest = (args: ProduceArgs) => {
  apiKey: number;
  apiVersion: number;
  apiName: string;
  expectResponse: () => boolean;
  encode: () => Promise<Writer>;
};

const MAGIC_BYTE = 2;
const TRANSACTIONAL_MASK = 16;

/**
 * kafkajs 2.2's Produce request v3 (and so v4–v7) writing the same bytes into one buffer.
 *
 * kafkajs encodes every record into an encoder of its own, copies the records into the batch
 * body, the body into the batch (after its CRC), the batch into the record set, the record set
 * into the partition, the partition into the topic and the topic into the request: six copies
 * of every event, each into a buffer grown by doubling. In the relay thread those copies were a
 * sixth of its time, and their `ArrayBuffer`s, allocated outside the heap, drove its ~100
 * mark-compacts per 100,000 messages (docs/executor.md, "Ninth pass").
 *
 * Here the records are written where they end up, and the batch's length and CRC-32C (over the
 * bytes from its attributes on, eight bytes per step: crc32c.ts) are filled in once its records
 * are written. The rest is kafkajs' own: its Encoder's write methods, its rules for timestamps and
 * headers. A compressed
 * batch is left to kafkajs' own request, which is also what the unit test compares with, byte
 * for byte.
 */
export function produceRequestV3(original: ProduceRequest, Encoder: WriterClass): ProduceRequest {
  const { Produce: apiKey } = require('kafkajs/src/protocol/requests/apiKeys');
  const { Types } = require('kafkajs/src/protocol/message/compression');
  const Long = require('kafkajs/src/utils/long');

  return (args) => {
    const compression = args.compression ?? Types.None;
    if (compression !== Types.None) return original(args);
    const {
      acks,
      timeout,
      transactionalId = null,
      producerId = Long.fromInt(-1),
      producerEpoch = 0,
      topicData,
    } = args;
    return {
      apiKey,
      apiVersion: 3,
      apiName: 'Produce',
      expectResponse: () => acks !== 0,
      encode: async () => {
        const w = new Encoder(estimatedSize(topicData));
        w.writeString(transactionalId).writeInt16(acks).writeInt32(timeout);
        w.writeInt32(topicData.length);
        for (const { topic, partitions } of topicData) {
          w.writeString(topic).writeInt32(partitions.length);
          for (const data of partitions)
            writePartition(w, Encoder, data, {
              producerId,
              producerEpoch,
              transactional: !!transactionalId,
            });
        }
        return w;
      },
    };
  };
}

function estimatedSize(topicData: ProduceArgs['topicData']): number {
  let size = 64;
  for (const { partitions } of topicData)
    for (const { messages } of partitions) {
      size += 128;
      for (const m of messages)
        size += 24 + (typeof m.value === 'string' || Buffer.isBuffer(m.value) ? m.value.length : 0);
    }
  return size;
}

function writePartition(
  w: Writer,
  Encoder: WriterClass,
  { partition, messages, firstSequence }: PartitionData,
  producer: { producerId: unknown; producerEpoch: number; transactional: boolean },
): void {
  // kafkajs' rules (produce/v3/request.js): the given timestamps sorted as it sorts them, now
  // when there are none, each record's delta from the first.
  const dateNow = Date.now();
  const given = messages
    .map((m) => m.timestamp)
    .filter((t) => t != null)
    .sort();
  const timestamps = given.length === 0 ? [dateNow] : given;
  const firstTimestamp = timestamps[0] as number;
  const maxTimestamp = timestamps[timestamps.length - 1];

  w.writeInt32(partition);
  const recordSetSizeAt = w.offset;
  w.writeInt32(0);
  const recordSetStart = w.offset;
  w.writeInt64(0); // first offset
  const batchLengthAt = w.offset;
  w.writeInt32(0);
  w.writeInt32(0); // partition leader epoch
  w.writeInt8(MAGIC_BYTE);
  const crcAt = w.offset;
  w.writeUInt32(0);
  const bodyStart = w.offset;
  w.writeInt16(producer.transactional ? TRANSACTIONAL_MASK : 0)
    .writeInt32(messages.length - 1)
    .writeInt64(firstTimestamp)
    .writeInt64(maxTimestamp)
    .writeInt64(producer.producerId)
    .writeInt16(producer.producerEpoch)
    .writeInt32(firstSequence ?? 0);
  w.writeInt32(messages.length);
  for (let i = 0; i < messages.length; i++) {
    const m = messages[i];
    const timestampDelta = ((m.timestamp || dateNow) as number) - firstTimestamp;
    const headers = headerList(m.headers ?? {});
    w.writeVarInt(
      1 +
        Encoder.sizeOfVarLong(timestampDelta) +
        Encoder.sizeOfVarInt(i) +
        Encoder.sizeOfVarIntBytes(m.key) +
        Encoder.sizeOfVarIntBytes(m.value) +
        sizeOfHeaders(Encoder, headers),
    );
    w.writeInt8(0).writeVarLong(timestampDelta).writeVarInt(i);
    w.writeVarIntBytes(m.key).writeVarIntBytes(m.value);
    w.writeVarInt(headers.length);
    for (const h of headers) w.writeVarIntString(h.key).writeVarIntBytes(h.value);
  }
  const end = w.offset;
  // The buffer may have grown while writing: fill in through the current one.
  w.buf.writeInt32BE(end - recordSetStart, recordSetSizeAt);
  w.buf.writeInt32BE(end - batchLengthAt - 4, batchLengthAt);
  w.buf.writeUInt32BE(crc32c(w.buf.subarray(bodyStart, end)), crcAt);
}

function headerList(headers: Record<string, unknown>): { key: string; value: unknown }[] {
  const list: { key: string; value: unknown }[] = [];
  for (const key of Object.keys(headers)) {
    const value = headers[key];
    if (Array.isArray(value)) for (const v of value) list.push({ key, value: v });
    else list.push({ key, value });
  }
  return list;
}

function sizeOfHeaders(Encoder: WriterClass, headers: { key: string; value: unknown }[]): number {
  let size = Encoder.sizeOfVarInt(headers.length);
  for (const h of headers) {
    const keySize = Buffer.byteLength(h.key);
    size += Encoder.sizeOfVarInt(keySize) + keySize;
    if (h.value === null) size += Encoder.sizeOfVarInt(-1);
    else {
      const valueSize = Buffer.byteLength(h.value as string | Buffer);
      size += Encoder.sizeOfVarInt(valueSize) + valueSize;
    }
  }
  return size;
}

type Framing = (args: {
  correlationId: number;
  clientId: string;
  request: { apiKey: number; apiVersion: number; encode: () => Promise<Writer> };
}) => Promise<Writer>;

/**
 * kafkajs' framing (protocol/request.js) with one copy of the payload instead of two: the size
 * goes in front once the header and the payload are written.
 */
export function framedRequest(Encoder: WriterClass): Framing {
  return async ({ correlationId, clientId, request: { apiKey, apiVersion, encode } }) => {
    const payload = await encode();
    const framed = new Encoder(payload.size() + 64)
      .writeInt32(0)
      .writeInt16(apiKey)
      .writeInt16(apiVersion)
      .writeInt32(correlationId)
      .writeString(clientId)
      .writeEncoder(payload);
    framed.buf.writeInt32BE(framed.offset - 4, 0);
    return framed;
  };
}
