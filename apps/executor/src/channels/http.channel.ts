import { createHash } from 'node:crypto';
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
import { Channel, ChannelError, ChannelResult, OutboundMessage, SendOutcome } from './channel';

/** The most of a batch answer that is read for per-message results; the rest is ignored. */
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/**
 * Posts each message as JSON to the step's URL over keep-alive connections. The SSRF guard
 * runs on every new connection (inside the socket's `lookup`, so DNS rebinding cannot slip past
 * it) and on IP-literal hosts, which skip DNS: a private or metadata target is refused before
 * anything is sent (`SSRF_BLOCKED`, permanent).
 *
 * `sendMany` posts several messages to one URL as `{"messages": [payload, …]}`. The answer's
 * status applies to every message, unless a 2xx answer lists per-message results
 * (`{"results": [{"deliveryId", "status", "messageId"?}]}`): each listed message then takes
 * its own status, read like the status of a single post.
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
    const target = this.target(m.url!);
    const body = JSON.stringify(m.payload ?? {});
    const { status, messageId } = await this.exchange({ target, body, key: m.deliveryId });
    if (status >= 200 && status < 300) return { providerMessageId: messageId };
    throw statusError(status);
  }

  /** All messages go to the first one's URL: the caller groups them by URL. */
  async sendMany(messages: OutboundMessage[]): Promise<SendOutcome[]> {
    let answer: Answer;
    try {
      const target = this.target(messages[0].url!);
      const ids = messages.map((m) => m.deliveryId);
      const body = `{"messages":[${messages.map((m) => JSON.stringify(m.payload ?? {})).join(',')}]}`;
      // The same messages give the same key; each message's own key is its deliveryId.
      const key = `batch-${createHash('sha256').update(ids.join(',')).digest('hex').slice(0, 32)}`;
      const headers = { 'x-batch-size': String(ids.length) };
      answer = await this.exchange({ target, body, key, headers, readAnswer: true });
    } catch (err) {
      const error =
        err instanceof ChannelError
          ? err
          : new ChannelError('CHANNEL_ERROR', (err as Error).message, 'uncertain');
      return messages.map(() => ({ ok: false, error: plain(error) }));
    }
    const listed = answer.status >= 200 && answer.status < 300 ? resultsOf(answer.body) : null;
    return messages.map((m) => {
      const own = listed?.get(m.deliveryId);
      const status = own?.status ?? answer.status;
      if (status >= 200 && status < 300)
        return { ok: true, result: { providerMessageId: own?.messageId } };
      return { ok: false, error: plain(statusError(status)) };
    });
  }

  /** The URL, refused at once when it is an IP literal the policy does not allow. */
  private target(url: string): URL {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) && !isAllowed(classifyAddress(host), this.policy, host))
      throw blocked(new BlockedAddressError(host, host, classifyAddress(host)));
    return target;
  }

  /** One POST; a failure to get an answer becomes a classified ChannelError. */
  private async exchange(request: Post): Promise<Answer> {
    try {
      return await this.post(request);
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
  }

  private post({ target, body, key, headers = {}, readAnswer = false }: Post): Promise<Answer> {
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
            'idempotency-key': key,
            ...headers,
          },
          lookup: this.lookup as never,
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          if (readAnswer && res.statusCode && res.statusCode < 300)
            res.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size <= MAX_ANSWER_BYTES) chunks.push(chunk);
            });
          else res.resume();
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              messageId: (res.headers['x-message-id'] as string | undefined) ?? undefined,
              body: size && size <= MAX_ANSWER_BYTES ? Buffer.concat(chunks).toString() : '',
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

interface Post {
  target: URL;
  body: string;
  /** The Idempotency-Key header. */
  key: string;
  headers?: Record<string, string>;
  /** Keep a 2xx answer's body (a batch's per-message results). */
  readAnswer?: boolean;
}

interface Answer {
  status: number;
  messageId?: string;
  body: string;
}

function blocked(err: BlockedAddressError): ChannelError {
  return new ChannelError('SSRF_BLOCKED', err.message, 'permanent');
}

function statusError(status: number): ChannelError {
  const kind = status === 429 || status >= 500 ? 'temporary' : 'permanent';
  return new ChannelError(`HTTP_${status}`, `receiver answered ${status}`, kind);
}

function plain(err: ChannelError): { code: string; message: string; kind: ChannelError['kind'] } {
  return { code: err.code, message: err.message, kind: err.kind };
}

/**
 * Per-message results of a batch answer, by deliveryId: entries with a string `deliveryId` and
 * an integer `status` of 100-599; anything else in the answer is ignored.
 */
function resultsOf(body: string): Map<string, { status: number; messageId?: string }> | null {
  if (!body) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  const results = (parsed as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) return null;
  const byId = new Map<string, { status: number; messageId?: string }>();
  for (const r of results as Record<string, unknown>[]) {
    const status = r?.status;
    if (typeof r?.deliveryId !== 'string' || !Number.isInteger(status)) continue;
    if ((status as number) < 100 || (status as number) > 599) continue;
    const messageId = typeof r.messageId === 'string' ? r.messageId : undefined;
    byId.set(r.deliveryId, { status: status as number, messageId });
  }
  return byId;
}
