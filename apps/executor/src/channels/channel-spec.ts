import { OutboundPolicy } from '../webhooks/ssrf-guard';
import { HttpChannel } from './http.channel';
import { SmtpAccount, SmtpChannel } from './smtp.channel';

/** What a channel is made of, as plain data: it can be built here or in a channel thread. */
export type ChannelSpec =
  | { kind: 'smtp'; account: SmtpAccount }
  | { kind: 'http'; timeoutMs: number; policy: OutboundPolicy };

export function channelOf(spec: ChannelSpec): SmtpChannel | HttpChannel {
  return spec.kind === 'smtp'
    ? new SmtpChannel(spec.account)
    : new HttpChannel(spec.timeoutMs, spec.policy);
}
