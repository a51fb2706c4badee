import { Channel, ChannelError, ChannelResult, OutboundMessage } from './channel';

/** Posts each message as JSON to the step's URL (keep-alive connections through fetch). */
export class HttpChannel implements Channel {
  readonly kind = 'webhook' as const;

  constructor(private readonly timeoutMs: number) {}

  async send(m: OutboundMessage): Promise<ChannelResult> {
    let res: Response;
    try {
      res = await fetch(m.url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': m.deliveryId },
        body: JSON.stringify(m.payload ?? {}),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const code = (err as { cause?: { code?: string } }).cause?.code;
      // Refused or unresolvable: the request never left, so a retry cannot duplicate it.
      if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new ChannelError(`HTTP_${code}`, (err as Error).message, 'temporary');
      throw new ChannelError('HTTP_NO_RESPONSE', (err as Error).message, 'uncertain');
    }
    await res.arrayBuffer().catch(() => undefined);
    if (res.ok) return { providerMessageId: res.headers.get('x-message-id') ?? undefined };
    const kind = res.status === 429 || res.status >= 500 ? 'temporary' : 'permanent';
    throw new ChannelError(`HTTP_${res.status}`, `receiver answered ${res.status}`, kind);
  }

  async close(): Promise<void> {}
}
