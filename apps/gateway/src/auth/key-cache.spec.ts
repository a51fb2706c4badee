import { KeyCache } from './key-cache';

const resolved = (id: string) => ({ apiKeyId: id, tenantId: 't', workspaceId: 'w', admin: false });

describe('KeyCache', () => {
  it('returns cached keys until they expire', () => {
    jest.useFakeTimers();
    const cache = new KeyCache(1000);
    cache.set('fp', resolved('k1'));
    expect(cache.get('fp')?.apiKeyId).toBe('k1');
    jest.advanceTimersByTime(1001);
    expect(cache.get('fp')).toBeUndefined();
    jest.useRealTimers();
  });

  it('evicts every entry of a revoked key', () => {
    const cache = new KeyCache(60000);
    cache.set('a', resolved('k1'));
    cache.set('b', resolved('k2'));
    cache.evictKey('k1');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')?.apiKeyId).toBe('k2');
  });

  it('caches nothing with a zero TTL and stays bounded', () => {
    expect(
      (() => {
        const c = new KeyCache(0);
        c.set('a', resolved('k'));
        return c.get('a');
      })(),
    ).toBeUndefined();
    const small = new KeyCache(60000, 2);
    small.set('a', resolved('1'));
    small.set('b', resolved('2'));
    small.set('c', resolved('3'));
    expect(small.get('a')).toBeUndefined();
    expect(small.get('c')?.apiKeyId).toBe('3');
  });
});
