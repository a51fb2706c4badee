import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';
import {
  Channel,
  ChannelError,
  ChannelResult,
  FailureKind,
  OutboundMessage,
  SendOutcome,
} from './channel';
import { channelOf, ChannelSpec } from './channel-spec';

/** A channel that can also check its account without sending (SMTP login). */
export interface AccountChannel extends Channel {
  verify(): Promise<void>;
}

export type ThreadRequest =
  | { op: 'open'; channel: number; spec: ChannelSpec }
  | { op: 'send'; id: number; channel: number; message: OutboundMessage }
  | { op: 'sendMany'; id: number; channel: number; messages: OutboundMessage[] }
  | { op: 'verify' | 'close'; id: number; channel: number };

export type ThreadReply =
  | { id: number; ok: true; result?: ChannelResult; outcomes?: SendOutcome[] }
  | { id: number; ok: false; error: { code: string; message: string; kind: FailureKind } };

const WORKER = join(__dirname, 'channel-thread.worker.js');

/**
 * Runs the channels' client libraries in `CHANNEL_THREADS` worker threads. The executor's main
 * thread is busy with the ledger statements, BullMQ and Kafka; nodemailer's MIME building and
 * socket writes (or the HTTP client's) per message are as much again, so on a machine with a
 * spare core they go to a thread of their own. A channel keeps the same interface and error
 * classes either way; with `CHANNEL_THREADS=0` (or when running from sources, as the unit tests
 * do) it is built in the main thread. A thread that dies fails its sends in flight as
 * `uncertain` (they may have left), and the next send starts it again with its channels.
 */
@Injectable()
export class ChannelThreads implements OnApplicationShutdown {
  private readonly logger = new Logger('ChannelThreads');
  private readonly threads: ChannelThread[] = [];
  private nextChannel = 1;
  private readonly count: number;

  constructor(@Inject(EXECUTOR_ENV) env: ExecutorEnv) {
    this.count = existsSync(WORKER) ? env.CHANNEL_THREADS : 0;
  }

  open(spec: ChannelSpec): AccountChannel {
    if (!this.count) return inThread(spec);
    const id = this.nextChannel++;
    const index = id % this.count;
    this.threads[index] ??= new ChannelThread(this.logger);
    return new ThreadedChannel(this.threads[index], id, spec);
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.stop()));
  }
}

function inThread(spec: ChannelSpec): AccountChannel {
  const channel = channelOf(spec);
  return Object.assign(channel, {
    verify: 'verify' in channel ? () => channel.verify() : () => Promise.resolve(),
  });
}

class ThreadedChannel implements AccountChannel {
  readonly kind: Channel['kind'];

  constructor(
    private readonly thread: ChannelThread,
    private readonly id: number,
    spec: ChannelSpec,
  ) {
    this.kind = spec.kind === 'smtp' ? 'email' : 'webhook';
    thread.open(id, spec);
  }

  async send(message: OutboundMessage): Promise<ChannelResult> {
    const reply = await this.thread.request({ op: 'send', id: 0, channel: this.id, message });
    return reply?.result ?? {};
  }

  /** Only the HTTP channel sends batches; a lost thread fails them all as uncertain. */
  async sendMany(messages: OutboundMessage[]): Promise<SendOutcome[]> {
    const reply = await this.thread.request({ op: 'sendMany', id: 0, channel: this.id, messages });
    return reply?.outcomes ?? [];
  }

  async verify(): Promise<void> {
    await this.thread.request({ op: 'verify', id: 0, channel: this.id });
  }

  async close(): Promise<void> {
    await this.thread.close(this.id);
  }
}

type Answer = Extract<ThreadReply, { ok: true }>;

interface Pending {
  worker: Worker;
  resolve: (answer: Answer) => void;
  reject: (err: Error) => void;
}

/** One worker thread and the channels opened in it; started on first use, again after a crash. */
class ChannelThread {
  private worker: Worker | null = null;
  private readonly specs = new Map<number, ChannelSpec>();
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(private readonly logger: Logger) {}

  open(channel: number, spec: ChannelSpec): void {
    this.specs.set(channel, spec);
    this.worker?.postMessage({ op: 'open', channel, spec } satisfies ThreadRequest);
  }

  request(request: ThreadRequest & { id: number }): Promise<Answer> {
    const worker = this.started();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  /** Closes a channel (its transport in the thread); never throws: it is only ever cleanup. */
  async close(channel: number): Promise<void> {
    if (!this.specs.delete(channel) || !this.worker) return;
    await this.request({ op: 'close', id: 0, channel }).catch(() => undefined);
  }

  /**
   * Closes every channel, waits (up to 5 s) for the answers still owed to callers, then ends
   * the thread; whatever is still owed after that is failed, so no caller waits forever.
   */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await Promise.all([...this.specs.keys()].map((c) => this.close(c)));
    const until = Date.now() + 5000;
    while (this.pending.size && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    this.worker = null;
    await worker.terminate();
    this.fail(worker, 'channel thread stopped');
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // A small young generation: the thread allocates fast and keeps little, so a big nursery
    // would only add to the executor's RSS.
    const worker = new Worker(WORKER, { resourceLimits: { maxYoungGenerationSizeMb: 12 } });
    worker.unref();
    worker.on('message', (reply: ThreadReply) => this.settle(reply));
    worker.on('error', (err) =>
      this.logger.error({ msg: 'channel thread failed', error: err.message }),
    );
    worker.on('exit', (code) => {
      if (this.worker === worker) this.worker = null;
      this.fail(worker, `channel thread exited (${code})`);
    });
    for (const [channel, spec] of this.specs)
      worker.postMessage({ op: 'open', channel, spec } satisfies ThreadRequest);
    this.worker = worker;
    return worker;
  }

  /** Whatever was in flight in that thread may or may not have left: never to be sent again. */
  private fail(worker: Worker, why: string): void {
    for (const [id, p] of this.pending) {
      if (p.worker !== worker) continue;
      this.pending.delete(id);
      p.reject(new ChannelError('CHANNEL_THREAD_LOST', why, 'uncertain'));
    }
  }

  private settle(reply: ThreadReply): void {
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply);
    else p.reject(new ChannelError(reply.error.code, reply.error.message, reply.error.kind));
  }
}
