import {
  appEnv,
  healthUrl,
  spawnApp,
  STATE_FILE,
  stopProcess,
  testSql,
  TestTenant,
  waitForHealth,
} from '@app/testing';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Kafka, logLevel, Producer } from 'kafkajs';

/*
 * Helpers for the analytics e2e suites: they play the executor and the leads service by
 * producing well-formed envelopes to the real `test.` topics, keep the ground truth of what
 * they produced, and restart or replay the real analytics process.
 */

const ROOT = path.resolve(__dirname, '..');

export interface Envelope {
  eventId: string;
  type: string;
  version: number;
  occurredAt: string;
  tenantId: string;
  workspaceId: string;
  campaignId?: string;
  leadId?: string;
  data: Record<string, unknown>;
}

export class EventProducer {
  private producer?: Producer;

  async start(): Promise<void> {
    const kafka = new Kafka({
      clientId: 'e2e-analytics',
      brokers: ['127.0.0.1:9092'],
      logLevel: logLevel.NOTHING,
    });
    this.producer = kafka.producer({ allowAutoTopicCreation: false });
    await this.producer.connect();
  }

  /** Sends to `test.<topic>` keyed by campaign id (lead id for lead events), like the services. */
  async send(topic: string, events: Envelope[], partition?: number): Promise<void> {
    for (let i = 0; i < events.length; i += 500) {
      await this.producer!.send({
        topic: `test.${topic}`,
        acks: -1,
        messages: events.slice(i, i + 500).map((e) => ({
          key: e.campaignId ?? e.leadId ?? null,
          value: JSON.stringify(e),
          ...(partition === undefined ? {} : { partition }),
        })),
      });
    }
  }

  async stop(): Promise<void> {
    await this.producer?.disconnect();
  }
}

export async function tenantIdOf(t: TestTenant): Promise<string> {
  const res = await t.admin.get('/api/v1/admin/workspaces');
  return res.body.data.find((w: any) => w.id === t.workspaceId).tenantId;
}

export interface Scope {
  tenantId: string;
  workspaceId: string;
}

export function envelope(
  scope: Scope,
  type: string,
  campaignId: string | undefined,
  data: Record<string, unknown>,
  at = new Date(),
  leadId?: string,
): Envelope {
  return {
    eventId: randomUUID(),
    type,
    version: 1,
    occurredAt: at.toISOString(),
    tenantId: scope.tenantId,
    workspaceId: scope.workspaceId,
    ...(campaignId ? { campaignId } : {}),
    ...(leadId ? { leadId } : {}),
    data,
  };
}

/** Polls until `read()` deep-equals `expected` (or returns the last value after the timeout). */
export async function eventually<T>(
  read: () => Promise<T>,
  expected: T,
  timeoutMs = 30000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await read();
  while (JSON.stringify(last) !== JSON.stringify(expected) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    last = await read();
  }
  return last;
}

function readState(): { pids: Record<string, number> } {
  return JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
}

/** Stops the suite's analytics process with `signal` (SIGKILL = crash), runs `between`, starts a new one. */
export async function restartAnalytics(
  signal: NodeJS.Signals,
  between?: () => Promise<void>,
  suffix = '-restarted',
  env: NodeJS.ProcessEnv = {},
) {
  const state = readState();
  await stopProcess(state.pids.analytics, signal);
  await between?.();
  const child = spawnApp('analytics', env, suffix);
  state.pids.analytics = child.pid!;
  fs.writeFileSync(STATE_FILE, JSON.stringify(state));
  await waitForHealth(healthUrl('analytics'));
}

export async function analyticsHealth(): Promise<any> {
  return (await fetch(healthUrl('analytics'))).json();
}

/** Runs SQL against the suite's database (to age rows for the retention test). */
export const sql = testSql;

export async function replayFromBeginning(): Promise<any> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [path.join(ROOT, 'dist/apps/analytics/src/cli/replay-cli.js'), '--from-beginning'],
    { cwd: ROOT, env: appEnv('analytics') },
  );
  return JSON.parse(stdout.trim().split('\n').pop()!);
}
