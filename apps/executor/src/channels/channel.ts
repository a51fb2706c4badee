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

/** A way to reach people. A new channel is one class implementing this. */
export interface Channel {
  readonly kind: 'email' | 'webhook';
  send(message: OutboundMessage): Promise<ChannelResult>;
  close(): Promise<void>;
}
