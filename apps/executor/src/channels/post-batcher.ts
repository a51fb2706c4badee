import { Channel, ChannelError, ChannelResult, OutboundMessage, SendOutcome } from './channel';

interface Waiting {
  message: OutboundMessage;
  resolve: (result: ChannelResult) => void;
  reject: (err: Error) => void;
}

/**
 * Lets messages for the same URL share one request. A message whose step allows batches
 * (`batchSize` > 1) waits until the current turn of the event loop is over: every message for
 * that URL that was ready in the same turn (the steps of one send job reach the channel
 * together, right after their coalesced claim) goes in one `sendMany`, at most `batchSize`
 * per call. Each caller still gets its own message's result or error, so the send path, its
 * claim and its outcome stay per message. Messages without `batchSize`, and channels that
 * cannot batch, are sent one by one as before.
 */
export class PostBatcher implements Channel {
  readonly kind: Channel['kind'];
  private readonly open = new Map<string, Waiting[]>();

  constructor(private readonly inner: Channel) {
    this.kind = inner.kind;
  }

  send(message: OutboundMessage): Promise<ChannelResult> {
    const size = message.batchSize ?? 1;
    if (size <= 1 || !this.inner.sendMany) return this.inner.send(message);
    const key = `${size} ${message.url}`;
    return new Promise((resolve, reject) => {
      let group = this.open.get(key);
      if (!group) {
        const started: Waiting[] = [];
        group = started;
        this.open.set(key, started);
        setImmediate(() => this.flush(key, started));
      }
      group.push({ message, resolve, reject });
      if (group.length >= size) this.flush(key, group);
    });
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private flush(key: string, group: Waiting[]): void {
    if (this.open.get(key) === group) this.open.delete(key);
    if (!group.length) return;
    const batch = group.splice(0);
    this.inner.sendMany!(batch.map((w) => w.message)).then(
      (outcomes) => batch.forEach((w, i) => settle(w, outcomes[i])),
      (err: Error) => {
        const error =
          err instanceof ChannelError
            ? err
            : new ChannelError('CHANNEL_ERROR', err.message, 'uncertain');
        for (const w of batch) w.reject(error);
      },
    );
  }
}

function settle(w: Waiting, outcome: SendOutcome | undefined): void {
  // A missing outcome means we cannot tell what happened to that message: never resend it.
  if (!outcome)
    return w.reject(new ChannelError('CHANNEL_ERROR', 'no outcome for this message', 'uncertain'));
  if (outcome.ok) return w.resolve(outcome.result);
  const { code, message, kind } = outcome.error;
  w.reject(new ChannelError(code, message, kind));
}
