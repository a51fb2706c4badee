import { ENCODER_MODULE } from './kafkajs-encoder';
import { GROUPING_MODULE, groupMessagesPerPartition } from './kafkajs-grouping';
import { installKafkajsPatches } from './kafkajs-patches';
import { PRODUCE_V3_MODULE, REQUEST_MODULE } from './kafkajs-produce';

/* eslint-disable @typescript-eslint/no-require-imports */
const ownGrouping = require(GROUPING_MODULE);
const OwnEncoder = require(ENCODER_MODULE);
const ownProduce = require(PRODUCE_V3_MODULE);
const ownFraming = require(REQUEST_MODULE);
/* eslint-enable @typescript-eslint/no-require-imports */

describe('installKafkajsPatches', () => {
  const paths: Record<string, string> = {
    [GROUPING_MODULE]: require.resolve(GROUPING_MODULE),
    [ENCODER_MODULE]: require.resolve(ENCODER_MODULE),
    [PRODUCE_V3_MODULE]: require.resolve(PRODUCE_V3_MODULE),
    [REQUEST_MODULE]: require.resolve(REQUEST_MODULE),
  };
  const all = (install: string) => ({
    grouping: install,
    encoder: install,
    produce: install,
    framing: install,
  });
  const resolve = (id: string) => {
    if (!paths[id]) throw new Error(`unexpected ${id}`);
    return paths[id];
  };

  it('puts the replacements in the module cache where kafkajs will require them', () => {
    const cache: NodeJS.Dict<NodeJS.Module> = {};
    expect(installKafkajsPatches(cache, resolve)).toEqual(all('installed'));
    for (const [id, own] of [
      [PRODUCE_V3_MODULE, ownProduce],
      [REQUEST_MODULE, ownFraming],
    ]) {
      expect(typeof cache[paths[id]]!.exports).toBe('function');
      expect(cache[paths[id]]!.exports).not.toBe(own);
    }
    expect(cache[paths[GROUPING_MODULE]]!.exports).toBe(groupMessagesPerPartition);
    const Encoder = cache[paths[ENCODER_MODULE]]!.exports;
    expect(Encoder).not.toBe(OwnEncoder);
    expect(new Encoder()).toBeInstanceOf(OwnEncoder);
    expect(cache[paths[ENCODER_MODULE]]!.loaded).toBe(true);
    // Asked again, it recognises its own.
    expect(installKafkajsPatches(cache, resolve)).toEqual(all('installed'));
    expect(cache[paths[ENCODER_MODULE]]!.exports).toBe(Encoder);
  });

  it('says so when kafkajs already loaded its own, and leaves them be', () => {
    const grouping = { exports: ownGrouping } as NodeJS.Module;
    const encoder = { exports: OwnEncoder } as NodeJS.Module;
    const cache: NodeJS.Dict<NodeJS.Module> = {
      [paths[GROUPING_MODULE]]: grouping,
      [paths[ENCODER_MODULE]]: encoder,
      [paths[PRODUCE_V3_MODULE]]: { exports: ownProduce } as NodeJS.Module,
      [paths[REQUEST_MODULE]]: { exports: ownFraming } as NodeJS.Module,
    };
    expect(installKafkajsPatches(cache, resolve)).toEqual(all('too late'));
    expect(cache[paths[GROUPING_MODULE]]).toBe(grouping);
    expect(cache[paths[ENCODER_MODULE]]).toBe(encoder);
  });

  it('says so when kafkajs has no such modules (another version)', () => {
    const missing = () => {
      throw new Error('Cannot find module');
    };
    expect(installKafkajsPatches({}, missing)).toEqual(all('not found'));
  });
});
