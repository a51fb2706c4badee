import { spawnApp, healthUrl, stopProcess, waitForHealth } from '@app/testing';
import { execFileSync, execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TEST_DB } from '@app/testing';

const ROOT = path.resolve(__dirname, '../..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const between = (lo: number, hi: number) => lo + Math.random() * (hi - lo);

export interface FaultContext {
  /** The executor's pid, replaced when a fault restarts it. */
  executorPid: number;
  /** Is the campaign still sending? Faults stop once it is not. */
  sending: () => Promise<boolean>;
}

export type Fault = { name: string; inject: (ctx: FaultContext) => Promise<string> };

async function restartExecutor(ctx: FaultContext): Promise<void> {
  ctx.executorPid = spawnApp('executor', {}, `-chaos-${Date.now()}`).pid!;
  await waitForHealth(healthUrl('executor'), 60000);
}

/** kill -9 of the executor five times, each at a random moment while it sends. */
export const killExecutor: Fault = {
  name: 'kill -9 executor ×5',
  async inject(ctx) {
    let kills = 0;
    for (let i = 0; i < 5; i++) {
      await sleep(between(800, 3000));
      if (!(await ctx.sending())) break;
      await stopProcess(ctx.executorPid, 'SIGKILL');
      kills++;
      await sleep(between(200, 1000));
      await restartExecutor(ctx);
    }
    return `${kills} kills`;
  },
};

/** Redis shut down without saving (every queue and job gone), then started again. */
export const restartRedis: Fault = {
  name: 'restart Redis',
  async inject(ctx) {
    await sleep(between(1500, 3000));
    execFileSync('redis-cli', ['-p', '6379', 'shutdown', 'nosave'], { stdio: 'ignore' });
    await sleep(1500);
    // The machine's own command for its Redis (see the env notes); data is not persisted.
    execSync(
      `redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir ${os.tmpdir()}`,
      { stdio: 'ignore' },
    );
    await waitFor(
      () => execFileSync('redis-cli', ['-p', '6379', 'ping']).toString().trim() === 'PONG',
    );
    void ctx;
    return 'Redis data lost and restarted';
  },
};

/** The Kafka broker killed, then brought back by scripts/infra.sh. */
export const restartKafka: Fault = {
  name: 'restart Kafka',
  async inject() {
    await sleep(between(1500, 3000));
    const pidFile = findKafkaPidFile();
    const pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
    await stopProcess(pid, 'SIGKILL', 20000);
    await sleep(1000);
    execFileSync('bash', [path.join(ROOT, 'scripts/infra.sh'), 'up'], { stdio: 'ignore' });
    return 'broker killed and restarted';
  },
};

/** Every Postgres connection of the test database terminated, twice. */
export const terminatePostgres: Fault = {
  name: 'terminate Postgres connections',
  async inject() {
    let killed = 0;
    for (let i = 0; i < 2; i++) {
      await sleep(between(1000, 2500));
      const out = execFileSync('psql', [
        '-h',
        '127.0.0.1',
        '-U',
        'postgres',
        '-d',
        'postgres',
        '-qAtc',
        `SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '${TEST_DB}' AND pid <> pg_backend_pid()`,
      ]).toString();
      killed += Number(out.trim());
    }
    return `${killed} connections terminated`;
  },
};

function findKafkaPidFile(): string {
  const base = path.join(
    process.env.CAMPAIGN_CACHE_DIR ?? path.join(os.homedir(), '.cache/campaign-platform'),
    'kafka',
  );
  for (const version of fs.readdirSync(base)) {
    const file = path.join(base, version, 'kafka.pid');
    if (fs.existsSync(file)) return file;
  }
  throw new Error(`no kafka.pid under ${base}`);
}

async function waitFor(check: () => boolean, timeoutMs = 30000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (check()) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(200);
  }
}
