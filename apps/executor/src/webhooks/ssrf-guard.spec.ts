import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { ChannelError } from '../channels/channel';
import { HttpChannel } from '../channels/http.channel';
import {
  assertDeliverable,
  classifyAddress,
  inAllowlist,
  isAllowed,
  parseAllowlist,
} from './ssrf-guard';

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
    ['::ffff:a9fe:a9fe', 'metadata'],
    ['::ffff:c0a8:a', 'private'],
    ['::ffff:808:808', 'public'],
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

  it('opens only the allow-list entries, never metadata or reserved addresses', () => {
    const policy = {
      allowPrivate: false,
      allowlist: parseAllowlist('127.0.0.1/32, ::1, 10.8.0.0/16'),
    };
    expect(isAllowed('loopback', policy, '127.0.0.1')).toBe(true);
    expect(isAllowed('loopback', policy, '127.0.0.2')).toBe(false);
    expect(isAllowed('loopback', policy, '::1')).toBe(true);
    expect(isAllowed('private', policy, '10.8.200.1')).toBe(true);
    expect(isAllowed('private', policy, '10.9.0.1')).toBe(false);
    expect(
      isAllowed(
        'metadata',
        { allowPrivate: true, allowlist: ['169.254.169.254'] },
        '169.254.169.254',
      ),
    ).toBe(false);
    expect(inAllowlist('fd00::5', ['fd00::/8'])).toBe(true);
    expect(inAllowlist('fe80::5', ['fd00::/8'])).toBe(false);
    expect(() => parseAllowlist('localhost')).toThrow(/not an IP address or CIDR/);
    expect(() => parseAllowlist('10.0.0.0/33')).toThrow(/10.0.0.0\/33/);
  });

  describe('HTTP channel', () => {
    const closed = { allowPrivate: false, allowlist: [] };
    const send = (channel: HttpChannel, url: string) =>
      channel.send({ deliveryId: 'd1', to: url, url, payload: { a: 1 } });

    it('refuses metadata, private and (by name) loopback targets before sending', async () => {
      const channel = new HttpChannel(2000, closed);
      for (const [url, kind] of [
        ['http://169.254.169.254/latest', 'metadata'],
        ['http://10.0.0.1/hook', 'private'],
        ['http://localhost:9/hook', 'loopback'],
      ]) {
        const err = await send(channel, url).catch((e: ChannelError) => e);
        expect(err).toBeInstanceOf(ChannelError);
        expect(err).toMatchObject({ code: 'SSRF_BLOCKED', kind: 'permanent' });
        expect((err as Error).message).toContain(`a ${kind} address`);
      }
      await channel.close();
    });

    it('reaches a loopback receiver listed in the allow-list, and only that one', async () => {
      let posts = 0;
      const server = http.createServer((req, res) => {
        posts++;
        req.resume();
        res.setHeader('x-message-id', 'm-1');
        res.end('{}');
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/inbox`;
      const open = new HttpChannel(2000, { allowPrivate: false, allowlist: ['127.0.0.1/32'] });
      await expect(send(open, url)).resolves.toEqual({ providerMessageId: 'm-1' });
      const shut = new HttpChannel(2000, closed);
      await expect(send(shut, url)).rejects.toMatchObject({ code: 'SSRF_BLOCKED' });
      expect(posts).toBe(1);
      await Promise.all([open.close(), shut.close()]);
      server.close();
    });
  });
});
