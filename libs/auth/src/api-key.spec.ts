import { bearerToken, generateApiKey, hashApiKey, hashesMatch, parseApiKey } from './api-key';

describe('api keys', () => {
  it('generates well-formed keys whose prefix parses back and whose hash matches', () => {
    const { key, prefix, hash } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ prefix });
    expect(hashesMatch(hashApiKey(key), hash)).toBe(true);
    expect(hash).not.toContain(key.slice(20));
  });

  it('generates distinct keys', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey().key));
    expect(keys.size).toBe(200);
  });

  it('rejects malformed keys', () => {
    for (const bad of [
      '',
      'cpk_',
      'abc',
      'cpk_short_secret',
      `cpk_${'a'.repeat(12)}_${'b'.repeat(39)}`,
    ]) {
      expect(parseApiKey(bad)).toBeNull();
    }
  });

  it('reads Bearer tokens only', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
  });
});
