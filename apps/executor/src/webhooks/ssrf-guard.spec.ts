import { assertDeliverable, classifyAddress, isAllowed } from './ssrf-guard';

describe('SSRF guard', () => {
  it.each([
    ['8.8.8.8', 'public'],
    ['93.184.216.34', 'public'],
    ['127.0.0.1', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['169.254.10.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['0.0.0.0', 'reserved'],
    ['::1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fd12:3456::1', 'private'],
    ['fd00:ec2::254', 'metadata'],
    ['::ffff:10.0.0.1', 'private'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', (ip, kind) => {
    expect(classifyAddress(ip)).toBe(kind);
  });

  it('allows private targets only when told to, metadata never', () => {
    expect(isAllowed('private', false)).toBe(false);
    expect(isAllowed('loopback', true)).toBe(true);
    expect(isAllowed('metadata', true)).toBe(false);
  });

  it('resolves names before deciding', async () => {
    await expect(assertDeliverable('http://localhost:8080/hook', false)).rejects.toThrow(
      /loopback/,
    );
    await expect(assertDeliverable('http://127.0.0.1/hook', true)).resolves.toBeUndefined();
    await expect(assertDeliverable('http://169.254.169.254/latest', true)).rejects.toThrow(
      /metadata/,
    );
  });
});
