import { createTenant, STATE_FILE, stopProcess, TestTenant, waitForHealth } from '@app/testing';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import globalSetup from '../setup/global-setup';
import globalTeardown from '../setup/global-teardown';
import {
  importAudience,
  launchBroadcast,
  progressOf,
  settledPerformance,
  smtpTruth,
  waitForCompletion,
} from './campaign-run';
import {
  Fault,
  FaultContext,
  killExecutor,
  restartKafka,
  restartRedis,
  terminatePostgres,
} from './faults';

/**
 * Fault injection (`npm run test:chaos`): a CHAOS_CONTACTS-contact broadcast (100,000 by
 * default) per fault, on its own stack. Each run must end completed, with no contact mailed
 * twice, no contact silently left without mail (an unknown outcome is recorded as uncertain,
 * never resent), and analytics equal to what the executor recorded.
 */
const CONTACTS = Number(process.env.CHAOS_CONTACTS ?? 100_000);
const FAULTS: Fault[] = [killExecutor, restartRedis, restartKafka, terminatePostgres].filter(
  (f) =>
    !process.env.CHAOS_FAULTS ||
    process.env.CHAOS_FAULTS.split(',').some((name) => f.name.startsWith(name)),
);
// A mail catcher of its own: the ground truth must not be shared with (or restarted by) anything else.
const SMTP_PORT = 2525;
const MAIL_HTTP_PORT = 2580;

interface Row {
  fault: string;
  injected: string;
  attempted: number;
  delivered: number;
  lost: number;
  duplicated: number;
  uncertain: number;
  analyticsSent: number;
  seconds: number;
}

describe('fault injection during a large broadcast', () => {
  let t: TestTenant;
  let catcher: ChildProcess;
  const rows: Row[] = [];

  beforeAll(async () => {
    process.env.SMTP_PORT = String(SMTP_PORT);
    process.env.MAILCATCHER_HTTP_PORT = String(MAIL_HTTP_PORT);
    // Every run's messages stay countable: four runs of 100,000 exceed the default cap.
    process.env.MAILCATCHER_MAX_MESSAGES = String(
      Math.max(200_000, CONTACTS * (FAULTS.length + 1)),
    );
    catcher = spawn(process.execPath, [path.resolve(__dirname, '../../scripts/mail-catcher.js')], {
      env: process.env,
      stdio: 'ignore',
    });
    await waitForHealth(`http://127.0.0.1:${MAIL_HTTP_PORT}/health`);
    await globalSetup();
    t = await createTenant('chaos');
  }, 300_000);

  afterAll(async () => {
    if (rows.length) {
      process.stdout.write(
        '\nfault                          | injected                      | attempted | delivered | lost | duplicated | uncertain | analytics sent | seconds\n',
      );
      for (const r of rows) {
        process.stdout.write(
          `${r.fault.padEnd(30)} | ${r.injected.padEnd(29)} | ${String(r.attempted).padStart(9)} | ${String(r.delivered).padStart(9)} | ${String(r.lost).padStart(4)} | ${String(r.duplicated).padStart(10)} | ${String(r.uncertain).padStart(9)} | ${String(r.analyticsSent).padStart(14)} | ${r.seconds}\n`,
        );
      }
      fs.mkdirSync('bench/results', { recursive: true });
      fs.writeFileSync(
        'bench/results/chaos.json',
        JSON.stringify({ at: new Date().toISOString(), contacts: CONTACTS, rows }, null, 2) + '\n',
      );
    }
    await globalTeardown();
    await stopProcess(catcher);
  }, 120_000);

  it.each(FAULTS.map((f) => [f.name, f] as const))(
    '%s: completes with 0 lost and 0 duplicated',
    async (_name, fault) => {
      const started = Date.now();
      const tag = `chaos-${fault.name.replace(/[^a-z]+/gi, '-').toLowerCase()}-${Date.now().toString(36)}`;
      const { segmentId, domain } = await importAudience(t.api, tag, CONTACTS);
      const campaignId = await launchBroadcast(t.api, tag, segmentId);
      const state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8')) as {
        pids: Record<string, number>;
      };
      const ctx: FaultContext = {
        executorPid: state.pids.executor,
        sending: async () =>
          ['active', 'scheduled'].includes(
            (await progressOf(t.api, campaignId).catch(() => ({ status: 'active' }))).status,
          ),
      };
      const injected = await fault.inject(ctx);
      state.pids.executor = ctx.executorPid;
      fs.writeFileSync(STATE_FILE, JSON.stringify(state));

      const progress = await waitForCompletion(t.api, campaignId, 20 * 60_000);
      const truth = await smtpTruth(domain);
      const p = progress.progress;
      const perf = await settledPerformance(t.api, campaignId, p.successful);
      // Mailed contacts the executor could not confirm are uncertain, not lost.
      const lost = Math.max(
        0,
        CONTACTS - truth.delivered - (p.uncertain - Math.max(0, truth.delivered - p.successful)),
      );
      rows.push({
        fault: fault.name,
        injected,
        attempted: p.total,
        delivered: truth.delivered,
        lost,
        duplicated: truth.duplicated,
        uncertain: p.uncertain,
        analyticsSent: perf?.metrics?.sent ?? -1,
        seconds: Math.round((Date.now() - started) / 1000),
      });

      expect(progress.status).toBe('completed');
      expect(p.total).toBe(CONTACTS);
      expect(truth.duplicated).toBe(0);
      expect(lost).toBe(0);
      expect(p.successful + p.uncertain + p.failed).toBe(CONTACTS);
      expect(truth.delivered).toBeGreaterThanOrEqual(p.successful);
      expect(perf.metrics.sent).toBe(p.successful);
    },
    40 * 60_000,
  );
});
