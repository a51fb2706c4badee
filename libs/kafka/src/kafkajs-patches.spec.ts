import { ENCODER_MODULE } from './kafkajs-encoder';
import { GROUPING_MODULE, groupMessagesPerPartition } from './kafkajs-grouping';
import { installKafkajsPatches } from './kafkajs-patches';

/* eslint-disable @typescript-eslint/no-require-imports */
const ownGrouping = require(GROUPING_MODULE);
const OwnEncoder = require(ENCODER_MODULE);
/* eslint-enable @typescript-eslint/no-require-imports */

describe('installKafkajsPatches', () => {
  const paths: Record<string, string> = {
    [GROUPING_MODULE]: require.resolve(GROUPING_MODULE),
    [ENCODER_MODULE]: require.resolve(ENCODER_MODULE),
  };
  const resolve = (id: string) => {
    if (!paths[id]) throw new Error(`unexpected ${id}`);
    return paths[id];
  };

  it('puts both replacements in the module cache where kafkajs will require them', () => {
    const cache: NodeJS.Dict<NodeJS.Module> = {};
    expect(installKafkajsPatches(cache, resolve)).toEqual({
      grouping: 'installed',
      encoder: 'installed',
    });
    expect(cache[paths[GROUPING_MODULE]]!.exports).toBe(groupMessagesPerPartition);
    const Encoder = cache[paths[ENCODER_MODULE]]!.exports;
    expect(Encoder).not.toBe(OwnEncoder);
    expect(new Encoder()).toBeInstanceOf(OwnEncoder);
    expect(cache[paths[ENCODER_MODULE]]!.loaded).toBe(true);
    // Asked again, it recognises its own.
    expect(installKafkajsPatches(cache, resolve)).toEqual({
      grouping: 'installed',
      encoder: 'installed',
    });
    expect(cache[paths[ENCODER_MODULE]]!.exports).toBe(Encoder);
  });

  it('says so when kafkajs already loaded its own, and leaves them be', () => {
    const grouping = { exports: ownGrouping } as NodeJS.Module;
    const encoder = { exports: OwnEncoder } as NodeJS.Module;
    const cache: NodeJS.Dict<NodeJS.Module> = {
      [paths[GROUPING_MODULE]]: grouping,
      [paths[ENCODER_MODULE]]: encoder,
    };
    expect(installKafkajsPatches(cache, resolve)).toEqual({
      grouping: 'too late',
      encoder: 'too late',
    });
    expect(cache[paths[GROUPING_MODULE]]).toBe(grouping);
    expect(cache[paths[ENCODER_MODULE]]).toBe(encoder);
  });

  it('says so when kafkajs has no such modules (another version)', () => {
    const missing = () => {
      throw new Error('Cannot find module');
    };
    expect(installKafkajsPatches({}, missing)).toEqual({
      grouping: 'not found',
      encoder: 'not found',
    });
  });
});
