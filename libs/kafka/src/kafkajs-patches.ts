import Module from 'node:module';
import { ENCODER_MODULE, KafkajsEncoderClass, pooledEncoder } from './kafkajs-encoder';
import { GROUPING_MODULE, groupMessagesPerPartition } from './kafkajs-grouping';
import {
  framedRequest,
  PRODUCE_V3_MODULE,
  produceRequestV3,
  REQUEST_MODULE,
} from './kafkajs-produce';

export type PatchInstall = 'installed' | 'too late' | 'not found';

/** What the relay thread's kafkajs runs with (kafkajs-grouping.ts, -encoder.ts, -produce.ts). */
export interface KafkajsPatches {
  grouping: PatchInstall;
  encoder: PatchInstall;
  produce: PatchInstall;
  framing: PatchInstall;
}

const ours = new WeakSet<object>();

/**
 * Puts `make(path)` in the module cache where kafkajs will require `id`. It only works before
 * kafkajs loads that module (its other modules keep what they required), so the relay's worker
 * thread, whose module graph we control, does this in its first import. The main thread does
 * not: its first load of kafkajs could come from anywhere, and it no longer publishes much.
 */
export function installInModuleCache(
  id: string,
  make: (path: string) => object,
  cache: NodeJS.Dict<NodeJS.Module> = require.cache,
  resolve: (id: string) => string = require.resolve,
): PatchInstall {
  let path: string;
  try {
    path = resolve(id);
  } catch {
    return 'not found';
  }
  if (cache[path]) return ours.has(cache[path]!.exports) ? 'installed' : 'too late';
  const replacement = new Module(path);
  replacement.filename = path;
  replacement.loaded = true;
  replacement.exports = make(path);
  ours.add(replacement.exports);
  cache[path] = replacement;
  return 'installed';
}

/**
 * The replacements, for the relay thread's kafkajs; each reports whether it took. The produce
 * request and the framing write with whatever encoder kafkajs will use (the pooled one once it
 * is in place), so the encoder goes first.
 */
export function installKafkajsPatches(
  cache: NodeJS.Dict<NodeJS.Module> = require.cache,
  resolve: (id: string) => string = require.resolve,
): KafkajsPatches {
  const grouping = installInModuleCache(
    GROUPING_MODULE,
    () => groupMessagesPerPartition,
    cache,
    resolve,
  );
  const encoder = installInModuleCache(
    ENCODER_MODULE,
    // kafkajs' own class, loaded once here to be extended; it depends on nothing of kafkajs
    // but its Long, which the replacement shares.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (path) => pooledEncoder(require(path) as KafkajsEncoderClass),
    cache,
    resolve,
  );
  const Encoder = () =>
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    cache[resolve(ENCODER_MODULE)]?.exports ?? require(ENCODER_MODULE);
  const produce = installInModuleCache(
    PRODUCE_V3_MODULE,
    // kafkajs' own request stays behind it for compressed batches.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (path) => produceRequestV3(require(path), Encoder()),
    cache,
    resolve,
  );
  const framing = installInModuleCache(
    REQUEST_MODULE,
    () => framedRequest(Encoder()),
    cache,
    resolve,
  );
  return { grouping, encoder, produce, framing };
}
