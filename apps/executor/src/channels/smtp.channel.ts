import { createTransport, Transporter } from 'nodemailer';
import { Channel, ChannelError, ChannelResult, OutboundMessage } from './channel';
import { buildMime } from './mime';

export interface SmtpAccount {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  pass?: string;
  poolSize: number;
  timeoutMs: number;
}

/** SMTP commands before which a failure means the message was certainly not handed over. */
const BEFORE_DATA = new Set([
  'CONN',
  'EHLO',
  'HELO',
  'AUTH',
  'AUTH PLAIN',
  'AUTH LOGIN',
  'MAIL FROM',
  'RCPT TO',
  'STARTTLS',
]);

/** Email through one SMTP account (pooled connections, nodemailer). */
export class SmtpChannel implements Channel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;

  constructor(account: SmtpAccount) {
    this.transport = createTransport({
      pool: true,
      host: account.host,
      port: account.port,
      secure: account.secure,
      auth: account.user ? { user: account.user, pass: account.pass } : undefined,
      maxConnections: account.poolSize,
      maxMessages: Infinity,
      connectionTimeout: account.timeoutMs,
      greetingTimeout: account.timeoutMs,
      socketTimeout: account.timeoutMs,
      tls: { rejectUnauthorized: account.host !== '127.0.0.1' && account.host !== 'localhost' },
    });
  }

  /** The message is built here (mime.ts) and handed to the pool as one raw buffer. */
  async send(m: OutboundMessage): Promise<ChannelResult> {
    const mime = buildMime(m);
    try {
      // The id is given so nodemailer does not draw random bytes for one it would not use.
      await this.transport.sendMail({
        envelope: mime.envelope,
        raw: mime.raw,
        messageId: mime.messageId,
      });
      return { providerMessageId: mime.messageId };
    } catch (err) {
      throw classifySmtpError(err as SmtpError);
    }
  }

  /** Connects and logs in without sending anything; throws the server's answer on failure. */
  async verify(): Promise<void> {
    await this.transport.verify();
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

interface SmtpError extends Error {
  code?: string;
  command?: string;
  responseCode?: number;
  response?: string;
}

export function classifySmtpError(err: SmtpError): ChannelError {
  const words = err.response ?? err.message;
  if (err.responseCode && err.responseCode >= 500)
    return new ChannelError(`SMTP_${err.responseCode}`, words, 'permanent');
  if (err.responseCode && err.responseCode >= 400)
    return new ChannelError(`SMTP_${err.responseCode}`, words, 'temporary');
  if (err.command && BEFORE_DATA.has(err.command.toUpperCase()))
    return new ChannelError(err.code ?? 'SMTP_CONNECTION', words, 'temporary');
  if (err.code === 'ECONNECTION' || err.code === 'EDNS')
    return new ChannelError(err.code, words, 'temporary');
  return new ChannelError(err.code ?? 'SMTP_UNKNOWN', words, 'uncertain');
}
