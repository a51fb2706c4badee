import { parentPort } from 'node:worker_threads';
import { ChannelError } from './channel';
import { channelOf } from './channel-spec';
import type { ThreadReply, ThreadRequest } from './channel-threads';
import { SmtpChannel } from './smtp.channel';

/**
 * A channel thread: it holds the transports of the channels the main thread opened here (SMTP
 * pools, HTTP keep-alive agents) and makes their sends, so the work of the client libraries
 * (MIME building, dot-stuffing, socket writes, HTTP framing) runs beside the main thread's
 * ledger, queue and event work instead of on top of it.
 */
const channels = new Map<number, ReturnType<typeof channelOf>>();
const port = parentPort!;
/** A send to a channel that was closed meanwhile: nothing left, so it may be tried again. */
const CLOSED = {
  code: 'CHANNEL_CLOSED',
  message: 'the channel was closed',
  kind: 'temporary',
} as const;

function reply(message: ThreadReply): void {
  port.postMessage(message);
}

async function handle(request: ThreadRequest): Promise<void> {
  switch (request.op) {
    case 'open':
      channels.set(request.channel, channelOf(request.spec));
      return;
    case 'close': {
      const channel = channels.get(request.channel);
      channels.delete(request.channel);
      await channel?.close();
      return reply({ id: request.id, ok: true });
    }
    case 'sendMany': {
      const channel = channels.get(request.channel);
      if (!channel || !('sendMany' in channel))
        return reply({ id: request.id, ok: false, error: CLOSED });
      // sendMany never throws: every failure is an outcome of its messages.
      return reply({
        id: request.id,
        ok: true,
        outcomes: await channel.sendMany(request.messages),
      });
    }
    case 'send':
    case 'verify': {
      const channel = channels.get(request.channel);
      try {
        if (!channel) throw new ChannelError(CLOSED.code, CLOSED.message, CLOSED.kind);
        if (request.op === 'send')
          return reply({ id: request.id, ok: true, result: await channel.send(request.message) });
        await (channel as SmtpChannel).verify();
        return reply({ id: request.id, ok: true });
      } catch (err) {
        // A verify failure is the server's own words; a send failure keeps its class. Anything
        // the channel did not classify may have happened after the message left: uncertain.
        const e = err as Error & { code?: string; response?: string };
        return reply({
          id: request.id,
          ok: false,
          error: {
            code: e.code ?? 'CHANNEL_ERROR',
            message: (request.op === 'verify' && e.response) || e.message,
            kind: e instanceof ChannelError ? e.kind : 'uncertain',
          },
        });
      }
    }
  }
}

port.on('message', (request: ThreadRequest) => void handle(request));
