import { Logger } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { KafkaSettings } from './kafka-client';
import type { KafkajsPatches } from './kafkajs-patches';
import type { LogSink } from './log-sink';
import { Relay, RelayTiming } from './outbox-relay';

/** What the relay thread is started with (plain data). */
export interface RelayThreadData {
  url: string;
  applicationName: string;
  schema: string;
  settings: KafkaSettings;
  timing?: RelayTiming;
}

/** A log entry of the thread, logged by the main thread's logger under its context. */
export interface RelayThreadLog {
  log: {
    level: keyof LogSink;
    message: unknown;
    context?: string;
  };
}

/** What the relay thread reports back. */
export interface RelayThreadReport {
  lastError: string | null;
  published: number;
  listening: boolean;
  stopped: boolean;
  /** Whether the thread's kafkajs took each of its replacements (kafkajs-patches.ts). */
  kafkajs: KafkajsPatches;
  /** It could not start (database or Kafka unreachable): it is started again. */
  failed?: boolean;
}

const WORKER = join(__dirname, 'outbox-relay.worker.js');
const RESTART_MS = 1000;

/** Whether the relay can run in a thread here (it needs the compiled worker file). */
export const relayThreadAvailable = (): boolean => existsSync(WORKER);

/**
 * The outbox relay of a service whose events are many (the executor writes two per message),
 * run in a worker thread. Reading the outbox rows, encoding Kafka's record batches and their
 * CRCs, and the garbage of both then cost the service's main thread nothing; while the executor
 * sends, that was about a quarter of its main thread. Same statements, same advisory lock, same
 * order as OutboxRelay in the main thread, and the same surface: start, stop, poke, and the
 * state the health check reports. A thread that dies or cannot start is started again a second
 * later; the rows it had not deleted are published again (consumers deduplicate by eventId).
 */
export class ThreadedOutboxRelay implements Relay {
  private readonly logger = new Logger('OutboxRelay');
  private worker: Worker | null = null;
  private running = false;
  private restart?: NodeJS.Timeout;
  private stopped?: () => void;
  lastError: string | null = null;
  published = 0;
  listening = false;
  kafkajs: KafkajsPatches | null = null;
  /** What earlier threads published before they ended. */
  private publishedBefore = 0;

  constructor(
    private readonly data: RelayThreadData,
    /** The compiled worker; tests that run from sources point at the built one. */
    private readonly workerFile = WORKER,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.spawn();
  }

  poke(): void {
    this.worker?.postMessage('poke');
  }

  /** Lets the thread finish its publish and close its connections (up to 10 s), then ends it. */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.restart);
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 10000);
      this.stopped = () => {
        clearTimeout(timer);
        resolve();
      };
      worker.postMessage('stop');
    });
    this.worker = null;
    await worker.terminate();
  }

  private spawn(): void {
    // A small young generation: the thread's garbage is short-lived and RSS counts it.
    const worker = new Worker(this.workerFile, {
      workerData: this.data,
      resourceLimits: { maxYoungGenerationSizeMb: 16 },
    });
    worker.on('message', (message: RelayThreadReport | RelayThreadLog) => {
      if ('log' in message) {
        const { level, message: entry, context } = message.log;
        return new Logger(context ?? 'OutboxRelay')[level](entry);
      }
      const report = message;
      this.lastError = report.lastError;
      this.published = this.publishedBefore + report.published;
      this.listening = report.listening;
      this.kafkajs = report.kafkajs;
      if (report.stopped) this.stopped?.();
      if (report.failed) void worker.terminate();
    });
    worker.on('error', (err) => {
      this.lastError = `relay thread: ${err.message}`;
      this.logger.error({ msg: 'outbox relay thread failed', error: err.message });
    });
    worker.on('exit', () => {
      if (this.worker !== worker) return;
      this.worker = null;
      this.listening = false;
      this.publishedBefore = this.published;
      if (this.running) this.restart = setTimeout(() => this.spawn(), RESTART_MS);
    });
    this.worker = worker;
  }
}
