import * as net from 'node:net';
import * as path from 'node:path';

/**
 * The executor's channel threads (apps/executor/src/channels/channel-threads.ts), as built in
 * dist/: a send made through the thread reaches the SMTP server, keeps its failure class
 * (permanent, temporary, uncertain) across the thread, a thread that dies mid-send fails the
 * sends in flight as uncertain (never to be resent), and the next send starts a new thread.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ChannelThreads } = require(
  path.join(__dirname, '../dist/apps/executor/src/channels/channel-threads.js'),
);

interface Session {
  rcpt: string;
  data: string;
}

/** A scripted SMTP server: answers by recipient (bounce → 550, later → 451, hang → no answer to the data). */
function scriptedSmtp(received: Session[]) {
  const server = net.createServer((socket) => {
    let rcpt = '';
    let inData = false;
    let data = '';
    let buffer = '';
    socket.write('220 scripted ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      let at: number;
      while ((at = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, at);
        buffer = buffer.slice(at + 2);
        if (inData) {
          if (line !== '.') {
            data += line + '\n';
            continue;
          }
          inData = false;
          if (rcpt.startsWith('hang')) continue;
          received.push({ rcpt, data });
          socket.write('250 2.0.0 queued as X1\r\n');
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO' || verb === 'HELO') socket.write('250-scripted\r\n250 PIPELINING\r\n');
        else if (verb === 'MAIL') socket.write('250 ok\r\n');
        else if (verb === 'RCPT') {
          rcpt = /<([^>]*)>/.exec(line)?.[1] ?? '';
          if (rcpt.startsWith('bounce')) socket.write('550 5.1.1 no such mailbox\r\n');
          else if (rcpt.startsWith('later')) socket.write('451 4.7.1 try again later\r\n');
          else socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          data = '';
          socket.write('354 go ahead\r\n');
        } else if (verb === 'RSET' || verb === 'NOOP') socket.write('250 ok\r\n');
        else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 unknown\r\n');
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise<net.Server>((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describe('channel threads (executor)', () => {
  const received: Session[] = [];
  let server: net.Server;
  let threads: {
    open(spec: unknown): {
      send(m: unknown): Promise<{ providerMessageId?: string }>;
      verify(): Promise<void>;
      close(): Promise<void>;
    };
    onApplicationShutdown(): Promise<void>;
  };
  let port: number;

  beforeAll(async () => {
    server = await scriptedSmtp(received);
    port = (server.address() as net.AddressInfo).port;
    threads = new ChannelThreads({ CHANNEL_THREADS: 1 });
  });

  afterAll(async () => {
    await threads.onApplicationShutdown();
    server.close();
  });

  const smtp = () =>
    threads.open({
      kind: 'smtp',
      account: { host: '127.0.0.1', port, secure: false, poolSize: 2, timeoutMs: 3000 },
    });
  const message = (to: string) => ({
    deliveryId: `d-${to}`,
    to,
    from: { name: 'Sender', address: 'sender@example.test' },
    subject: `Hello ${to}`,
    text: `Hi ${to}`,
  });

  it('sends through the thread and keeps each failure class', async () => {
    const channel = smtp();
    await channel.verify();
    const ok = await channel.send(message('ok-1@example.test'));
    expect(ok.providerMessageId).toMatch(/@/);
    expect(received.map((r) => r.rcpt)).toEqual(['ok-1@example.test']);
    expect(received[0].data).toContain('Subject: Hello ok-1@example.test');

    await expect(channel.send(message('bounce-1@example.test'))).rejects.toMatchObject({
      code: 'SMTP_550',
      kind: 'permanent',
    });
    await expect(channel.send(message('later-1@example.test'))).rejects.toMatchObject({
      code: 'SMTP_451',
      kind: 'temporary',
    });
    await channel.close();
    await expect(channel.send(message('ok-2@example.test'))).rejects.toMatchObject({
      code: 'CHANNEL_CLOSED',
    });
  });

  it('shuts down without leaving a caller waiting on an answer the thread still owed', async () => {
    // A send the server never answers is still in flight when the executor shuts down: after
    // a grace period the thread is ended and the send fails as uncertain instead of hanging
    // the process's exit forever.
    const own = new ChannelThreads({ CHANNEL_THREADS: 1 });
    const channel = own.open({
      kind: 'smtp',
      account: { host: '127.0.0.1', port, secure: false, poolSize: 1, timeoutMs: 30000 },
    });
    const hanging = channel.send(message('hang-2@example.test'));
    await new Promise((r) => setTimeout(r, 300));
    const outcome = hanging.then(
      () => 'sent',
      (err: { code: string; kind: string }) => `${err.code}/${err.kind}`,
    );
    await Promise.all([channel.close(), own.onApplicationShutdown()]);
    const timeout = new Promise((r) => setTimeout(() => r('still waiting'), 2000));
    expect(await Promise.race([outcome, timeout])).toBe('CHANNEL_THREAD_LOST/uncertain');
  });

  it('fails sends in flight as uncertain when the thread dies, then starts a new one', async () => {
    const channel = smtp();
    const hanging = channel.send(message('hang-1@example.test'));
    // Wait until the message is at the server (its DATA went out), then kill the thread.
    const internals = threads as unknown as {
      threads: { worker: { terminate(): Promise<number> } | null }[];
    };
    await new Promise((r) => setTimeout(r, 300));
    await internals.threads[0].worker!.terminate();
    await expect(hanging).rejects.toMatchObject({ code: 'CHANNEL_THREAD_LOST', kind: 'uncertain' });
    // The channel is opened again in the new thread: the next send goes out.
    const ok = await channel.send(message('ok-3@example.test'));
    expect(ok.providerMessageId).toMatch(/@/);
    expect(received.map((r) => r.rcpt)).toContain('ok-3@example.test');
    expect(received.map((r) => r.rcpt)).not.toContain('hang-1@example.test');
    await channel.close();
  });
});
