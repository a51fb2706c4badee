/** One message for one recipient, already rendered. */
export interface OutboundMessage {
  deliveryId: string;
  to: string;
  from?: { name: string | null; address: string };
  replyTo?: string | null;
  subject?: string;
  html?: string;
  text?: string;
  headers?: Record<string, string>;
  /** HTTP channel: where to post and what. */
  url?: string;
  payload?: Record<string, unknown>;
  /** HTTP channel: up to this many messages to the same URL may share one POST (default 1). */
  batchSize?: number;
}

export interface ChannelResult {
  providerMessageId?: string;
}

/**
 * How a send failed. `temporary`: the channel said no for now (SMTP 4xx, HTTP 429/5xx,
 * connection refused) and nothing was sent, so it may be retried. `permanent`: refused for good
 * (SMTP 5xx, HTTP 4xx). `uncertain`: we cannot know whether it was sent (connection lost after
 * the message was handed over), so it must never be retried.
 */
export type FailureKind = 'temporary' | 'permanent' | 'uncertain';

export class ChannelError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: FailureKind,
  ) {
    super(message);
  }
}

/** What happened to one message of a batch, as plain data (it crosses the channel thread). */
export type SendOutcome =
  | { ok: true; result: ChannelResult }
  | { ok: false; error: { code: string; message: string; kind: FailureKind } };

/** A way to reach people. A new channel is one class implementing this. */
export interface Channel {
  readonly kind: 'email' | 'webhook';
  send(message: OutboundMessage): Promise<ChannelResult>;
  /** Several messages in one exchange (one outcome each, in order), where the channel can. */
  sendMany?(messages: OutboundMessage[]): Promise<SendOutcome[]>;
  close(): Promise<void>;
}
