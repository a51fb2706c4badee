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
  // The same IPv4-mapped address in hex, as URL parsing writes it: [::ffff:c0a8:a].
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(v6);
  if (hex) {
    const [hi, lo] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
    return classifyAddress(`${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`);
  }
  if (v6 === 'fd00:ec2::254') return 'metadata';
  if (v6 === '::1') return 'loopback';
  if (v6 === '::') return 'reserved';
  if (/^fe[89ab]/.test(v6)) return 'link-local';
  if (/^f[cd]/.test(v6)) return 'private';
  if (/^ff/.test(v6)) return 'reserved';
  return 'public';
}

/**
 * Where outbound HTTP (webhooks, the HTTP channel) may go besides public addresses:
 * `allowPrivate` opens every private, loopback and link-local address (ALLOW_PRIVATE_WEBHOOKS);
 * `allowlist` opens only the listed addresses and CIDR ranges (OUTBOUND_ALLOWLIST, e.g.
 * `127.0.0.1/32,::1` for a receiver on loopback in local development and tests).
 */
export interface OutboundPolicy {
  allowPrivate: boolean;
  allowlist: string[];
}

/** `"127.0.0.1/32, ::1"` → entries; a malformed entry stops the process at boot. */
export function parseAllowlist(raw: string): string[] {
  const entries = raw
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const e of entries) {
    const [ip, bits] = e.split('/');
    const max = isIP(ip) === 4 ? 32 : isIP(ip) === 6 ? 128 : 0;
    if (!max || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= max)))
      throw new Error(`OUTBOUND_ALLOWLIST: "${e}" is not an IP address or CIDR range`);
  }
  return entries;
}

function v6ToBigInt(ip: string): bigint {
  const [head, tail = ''] = ip.toLowerCase().split('::');
  const parts = (p: string) => (p ? p.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  const groups = ip.includes('::') ? [...h, ...Array(8 - h.length - t.length).fill('0'), ...t] : h;
  return groups.reduce((n, g) => (n << 16n) + BigInt(parseInt(g || '0', 16)), 0n);
}

/** Whether an address is inside one of the allow-list's entries (same family only). */
export function inAllowlist(address: string, allowlist: string[]): boolean {
  const family = isIP(address);
  return allowlist.some((entry) => {
    const [ip, bitsText] = entry.split('/');
    if (isIP(ip) !== family) return false;
    if (family === 4) {
      const bits = bitsText === undefined ? 32 : Number(bitsText);
      const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
      return (v4ToInt(address) & mask) >>> 0 === (v4ToInt(ip) & mask) >>> 0;
    }
    const bits = BigInt(bitsText === undefined ? 128 : Number(bitsText));
    const shift = 128n - bits;
    return v6ToBigInt(address) >> shift === v6ToBigInt(ip) >> shift;
  });
}

/**
 * Metadata endpoints and reserved addresses are refused always, even when listed; the rest of
 * the non-public space only when allowed (all of it, or the allow-list's entries).
 */
export function isAllowed(
  kind: AddressClass,
  policy: boolean | OutboundPolicy,
  address?: string,
): boolean {
  if (kind === 'public') return true;
  if (kind === 'metadata' || kind === 'reserved') return false;
  const p = typeof policy === 'boolean' ? { allowPrivate: policy, allowlist: [] } : policy;
  return p.allowPrivate || (address !== undefined && inAllowlist(address, p.allowlist));
}

export class BlockedAddressError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly kind: AddressClass,
  ) {
    super(
      `${host} resolves to a ${kind} address (${address}): outbound HTTP may not target it (SSRF guard)`,
    );
  }
}

/**
 * A `lookup` for http.request that resolves and then refuses blocked addresses: the check
 * happens on the address actually connected to, so DNS rebinding between a check and the
 * request cannot slip through.
 */
export function guardedLookup(policy: boolean | OutboundPolicy) {
  return (
    hostname: string,
    options: object,
    callback: (err: Error | null, address: string, family: number) => void,
  ) => {
    lookup(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      const blocked = addresses.find(
        (a) => !isAllowed(classifyAddress(a.address), policy, a.address),
      );
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
export async function assertDeliverable(
  url: string,
  policy: boolean | OutboundPolicy,
): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  await new Promise<void>((resolve, reject) =>
    guardedLookup(policy)(host, {}, (err) => (err ? reject(err) : resolve())),
  );
}
