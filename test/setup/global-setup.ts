import {
  APPS,
  healthUrl,
  LOG_DIR,
  spawnApp,
  STATE_FILE,
  stopProcess,
  stopRegisteredProcesses,
  TEST_DB,
  TEST_REDIS_DB,
  waitForHealth,
} from '../../libs/testing/src';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Redis from 'ioredis';

/**
 * Starts the real stack for the e2e suite: a fresh test database, a clean Redis database,
 * and the five compiled apps as separate processes (scripts/test.sh has built them and
 * brought up Postgres, Redis, Kafka and the SMTP catcher).
 */
export default async function globalSetup(): Promise<void> {
  const psql = (sql: string) =>
    execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-d', 'postgres', '-qAtc', sql], {
      stdio: 'pipe',
    });
  await stopRegisteredProcesses();
  psql(`DROP DATABASE IF EXISTS ${TEST_DB} WITH (FORCE)`);
  psql(`CREATE DATABASE ${TEST_DB}`);
  const redis = new Redis(`redis://127.0.0.1:6379/${TEST_REDIS_DB}`);
  await redis.flushdb();
  redis.disconnect();
  fs.rmSync(LOG_DIR, { recursive: true, force: true });

  const pids: Record<string, number> = {};
  try {
    // Services first (each migrates its own schema), then the gateway in front of them.
    for (const app of APPS.filter((a) => a !== 'gateway')) pids[app] = spawnApp(app).pid!;
    await Promise.all(APPS.filter((a) => a !== 'gateway').map((a) => waitForHealth(healthUrl(a))));
    pids.gateway = spawnApp('gateway').pid!;
    await waitForHealth(healthUrl('gateway'));
  } catch (err) {
    // Jest skips the teardown when setup fails: stop what started and show why it failed.
    await Promise.all(Object.values(pids).map((pid) => stopProcess(pid, 'SIGKILL')));
    for (const app of Object.keys(pids)) {
      const log = path.join(LOG_DIR, `${app}.log`);
      if (fs.existsSync(log))
        process.stderr.write(
          `--- ${app}.log (tail)\n${fs.readFileSync(log, 'utf8').slice(-2000)}\n`,
        );
    }
    throw err;
  }
  fs.writeFileSync(STATE_FILE, JSON.stringify({ pids }));
}
