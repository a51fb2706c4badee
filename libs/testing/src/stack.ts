import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { INSTANCE, LOG_DIR, TEST_PORTS, testEnv } from './test-env';
import * as os from 'node:os';

/**
 * Every process a test run spawns is recorded here, including the ones tests restart, so the
 * teardown (and the next run's setup, after a crash) stops them all: a stray app left on a
 * test port would otherwise answer the next run's health checks with old code.
 */
const PID_REGISTRY = path.join(os.tmpdir(), `campaign-platform-e2e-${INSTANCE}.pids`);

/** Pids get reused: only a process that carries this instance's marker is ours to stop. */
function isOurs(pid: number): boolean {
  try {
    return fs
      .readFileSync(`/proc/${pid}/environ`, 'utf8')
      .split('\0')
      .includes(`CP_E2E_INSTANCE=${INSTANCE}`);
  } catch {
    return false;
  }
}

export async function stopRegisteredProcesses(): Promise<void> {
  if (!fs.existsSync(PID_REGISTRY)) return;
  const pids = fs.readFileSync(PID_REGISTRY, 'utf8').split('\n').filter(Boolean).map(Number);
  await Promise.all(pids.filter(isOurs).map((pid) => stopProcess(pid, 'SIGTERM', 10000)));
  fs.rmSync(PID_REGISTRY, { force: true });
}

const ROOT = path.resolve(__dirname, '../../..');
export const APPS = ['campaigns', 'leads', 'analytics', 'executor', 'gateway'] as const;
export type AppName = (typeof APPS)[number];

function healthPort(app: AppName): number {
  return app === 'gateway' ? TEST_PORTS.gateway : TEST_PORTS.health[app];
}

/** Per-app env: each back-end service gets its own health port. */
export function appEnv(app: AppName, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = testEnv();
  if (app !== 'gateway') env.HEALTH_PORT = String(healthPort(app));
  return { ...env, CP_E2E_INSTANCE: String(INSTANCE), ...extra };
}

/** Starts one compiled app as its own process, logging to LOG_DIR/<app>[-n].log. */
export function spawnApp(app: AppName, extra: NodeJS.ProcessEnv = {}, suffix = ''): ChildProcess {
  fs.mkdirSync(LOG_DIR, { recursive: true });
  const log = fs.openSync(path.join(LOG_DIR, `${app}${suffix}.log`), 'a');
  const child = spawn(process.execPath, [path.join(ROOT, 'dist/apps', app, 'main.js')], {
    cwd: ROOT,
    env: appEnv(app, extra),
    stdio: ['ignore', log, log],
    detached: false,
  });
  fs.closeSync(log);
  if (child.pid) fs.appendFileSync(PID_REGISTRY, `${child.pid}\n`);
  return child;
}

export async function waitForHealth(url: string, timeoutMs = 60000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(url);
      if (res.ok) return;
      last = `${res.status} ${await res.text()}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} not healthy after ${timeoutMs} ms: ${last}`);
}

export function healthUrl(app: AppName): string {
  return `http://127.0.0.1:${healthPort(app)}/health`;
}

export async function stopProcess(
  child: ChildProcess | number,
  signal: NodeJS.Signals = 'SIGTERM',
  timeoutMs = 15000,
): Promise<void> {
  const pid = typeof child === 'number' ? child : child.pid;
  if (!pid) return;
  try {
    process.kill(pid, signal);
  } catch {
    return; // already gone
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // exited between the check and the kill
  }
}
