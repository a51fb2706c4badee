import * as http from 'node:http';
import * as https from 'node:https';
import { isIP } from 'node:net';
import {
  BlockedAddressError,
  classifyAddress,
  guardedLookup,
  isAllowed,
  OutboundPolicy,
} from '../webhooks/ssrf-guard';
import { Channel, ChannelError, ChannelResult, OutboundMessage } from './channel';

/**
 * Posts each message as JSON to the step's URL over keep-alive connections. The SSRF guard
 * runs on every new connection (inside the socket's `lookup`, so DNS rebinding cannot slip past
 * it) and on IP-literal hosts, which skip DNS: a private or metadata target is refused before
 * anything is sent (`SSRF_BLOCKED`, permanent).
 */
export class HttpChannel implements Channel {
  readonly kind = 'webhook' as const;
  // Idle sockets close after 4 s, before the usual 5 s server keep-alive timeout closes them
  // under a request.
  private readonly agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: 256, timeout: 4000 }),
  };
  private readonly lookup: ReturnType<typeof guardedLookup>;

  constructor(
    private readonly timeoutMs: number,
    private readonly policy: OutboundPolicy,
  ) {
    this.lookup = guardedLookup(policy);
  }

  async send(m: OutboundMessage): Promise<ChannelResult> {
    const target = new URL(m.url!);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isAllowed(classifyAddress(host), this.policy, host))
      throw blocked(new BlockedAddressError(host, host, classifyAddress(host)));
    const body = JSON.stringify(m.payload ?? {});
    let status: number;
    let messageId: string | undefined;
    try {
      ({ status, messageId } = await this.post(target, body, m.deliveryId));
    } catch (err) {
      if (err instanceof BlockedAddressError) throw blocked(err);
      const code = (err as { code?: string }).code;
      // Refused or unresolvable: the request never left, so a retry cannot duplicate it. A
      // reset of a reused keep-alive socket is the server having closed it while idle.
      const stale = code === 'ECONNRESET' && (err as { reusedSocket?: boolean }).reusedSocket;
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN' || stale)
        throw new ChannelError(`HTTP_${code}`, (err as Error).message, 'temporary');
      throw new ChannelError('HTTP_NO_RESPONSE', (err as Error).message, 'uncertain');
    }
    if (status >= 200 && status < 300) return { providerMessageId: messageId };
    const kind = status === 429 || status >= 500 ? 'temporary' : 'permanent';
    throw new ChannelError(`HTTP_${status}`, `receiver answered ${status}`, kind);
  }

  private post(
    target: URL,
    body: string,
    deliveryId: string,
  ): Promise<{ status: number; messageId?: string }> {
    const client = target.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          agent: this.agents[target.protocol as 'http:' | 'https:'],
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'idempotency-key': deliveryId,
          },
          lookup: this.lookup as never,
          timeout: this.timeoutMs,
        },
        (res) => {
          res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              messageId: (res.headers['x-message-id'] as string | undefined) ?? undefined,
            }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${this.timeoutMs} ms`)));
      req.on('error', (err) => reject(Object.assign(err, { reusedSocket: req.reusedSocket })));
      req.end(body);
    });
  }

  async close(): Promise<void> {
    for (const agent of Object.values(this.agents)) agent.destroy();
  }
}

function blocked(err: BlockedAddressError): ChannelError {
  return new ChannelError('SSRF_BLOCKED', err.message, 'permanent');
}
