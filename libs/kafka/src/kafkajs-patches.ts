import Module from 'node:module';
import { ENCODER_MODULE, KafkajsEncoderClass, pooledEncoder } from './kafkajs-encoder';
import { GROUPING_MODULE, groupMessagesPerPartition } from './kafkajs-grouping';

export type PatchInstall = 'installed' | 'too late' | 'not found';

/** What the relay thread's kafkajs runs with (kafkajs-grouping.ts, kafkajs-encoder.ts). */
export interface KafkajsPatches {
  grouping: PatchInstall;
  encoder: PatchInstall;
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

/** Both replacements, for the relay thread's kafkajs; each reports whether it took. */
export function installKafkajsPatches(
  cache: NodeJS.Dict<NodeJS.Module> = require.cache,
  resolve: (id: string) => string = require.resolve,
): KafkajsPatches {
  return {
    grouping: installInModuleCache(
      GROUPING_MODULE,
      () => groupMessagesPerPartition,
      cache,
      resolve,
    ),
    encoder: installInModuleCache(
      ENCODER_MODULE,
      // kafkajs' own class, loaded once here to be extended; it depends on nothing of kafkajs
      // but its Long, which the replacement shares.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      (path) => pooledEncoder(require(path) as KafkajsEncoderClass),
      cache,
      resolve,
    ),
  };
}
