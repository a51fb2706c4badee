import { lookup } from 'node:dns';
import { isIP } from 'node:net';

export type AddressClass =
  'public' | 'private' | 'loopback' | 'link-local' | 'metadata' | 'reserved';

const V4_RANGES: Array<[string, number, AddressClass]> = [
  ['169.254.169.254', 32, 'metadata'],
  ['100.100.100.200', 32, 'metadata'],
  ['127.0.0.0', 8, 'loopback'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['100.64.0.0', 10, 'private'],
  ['169.254.0.0', 16, 'link-local'],
  ['0.0.0.0', 8, 'reserved'],
  ['192.0.0.0', 24, 'reserved'],
  ['198.18.0.0', 15, 'reserved'],
  ['224.0.0.0', 4, 'reserved'],
  ['240.0.0.0', 4, 'reserved'],
];

const v4ToInt = (ip: string) => ip.split('.').reduce((n, part) => (n << 8) + Number(part), 0) >>> 0;

/** What kind of address this is, for deciding whether a webhook may be sent there. */
export function classifyAddress(ip: string): AddressClass {
  if (isIP(ip) === 4) {
    const n = v4ToInt(ip);
    for (const [base, bits, kind] of V4_RANGES) {
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      if ((n & mask) === (v4ToInt(base) & mask)) return kind;
    }
    return 'public';
  }
  const v6 = ip.toLowerCase();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(v6);
  if (mapped) return classifyAddress(mapped[1]);
  if (v6 === 'fd00:ec2::254') return 'metadata';
  if (v6 === '::1') return 'loopback';
  if (v6 === '::') return 'reserved';
  if (/^fe[89ab]/.test(v6)) return 'link-local';
  if (/^f[cd]/.test(v6)) return 'private';
  if (/^ff/.test(v6)) return 'reserved';
  return 'public';
}

/** Metadata endpoints are refused even when private targets are allowed (local development). */
export function isAllowed(kind: AddressClass, allowPrivate: boolean): boolean {
  if (kind === 'public') return true;
  if (kind === 'metadata' || kind === 'reserved') return false;
  return allowPrivate;
}

export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: AddressClass,
  ) {
    super(`${host} resolves to a ${kind} address (${address}); webhooks may not target it`);
  }
}

/**
 * A `lookup` for http.request that resolves and then refuses blocked addresses: the check
 * happens on the address actually connected to, so DNS rebinding between a check and the
 * request cannot slip through.
 */
export function guardedLookup(allowPrivate: boolean) {
  return (
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string, family: number) => void,
  ) => {
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const blocked = addresses.find((a) => !isAllowed(classifyAddress(a.address), allowPrivate));
      if (blocked)
        return callback(
          new BlockedAddressError(hostname, blocked.address, classifyAddress(blocked.address)),
          '',
          0,
        );
      const first = addresses[0];
      callback(null, first.address, first.family);
    });
  };
}

/** Resolves a webhook URL's host and throws when any address is blocked. */
export async function assertDeliverable(url: string, allowPrivate: boolean): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) =>
    guardedLookup(allowPrivate)(host, {}, (err) => (err ? reject(err) : resolve())),
  );
}
