import { load } from 'js-yaml';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyticsEnv } from '../../../apps/analytics/src/config';
import { campaignsEnv } from '../../../apps/campaigns/src/config';
import { executorEnv } from '../../../apps/executor/src/config';
import { gatewayEnv } from '../../../apps/gateway/src/config';
import { leadsEnv } from '../../../apps/leads/src/config';

const ROOT = path.resolve(__dirname, '../../..');
const APPS = ['gateway', 'campaigns', 'leads', 'analytics', 'executor'];
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** The files that describe deployments stay true to the code: CI checks them on every run. */
describe('.env.example', () => {
  it('lists every variable an app reads', () => {
    const documented = new Set(
      [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]),
    );
    const read_ = new Set(
      [campaignsEnv, leadsEnv, analyticsEnv, executorEnv, gatewayEnv].flatMap((spec) =>
        Object.keys(spec),
      ),
    );
    const missing = [...read_].filter(
      (name) => !documented.has(name) && !read('.env.example').includes(name),
    );
    expect(missing).toEqual([]);
  });
});

/** Applies YAML merge keys (`<<: *anchor`), which the parser leaves as plain keys. */
function merged(value: any): any {
  if (Array.isArray(value)) return value.map(merged);
  if (!value || typeof value !== 'object') return value;
  const { '<<': base, ...rest } = value;
  const bases = base === undefined ? [] : Array.isArray(base) ? base : [base];
  return Object.assign(
    {},
    ...bases.map(merged),
    Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, merged(v)])),
  );
}

describe('docker-compose.yml', () => {
  const compose = merged(load(read('docker-compose.yml'))) as { services: Record<string, any> };
  const services = compose.services;

  it('has the infrastructure and all five apps, built from one Dockerfile', () => {
    for (const name of ['postgres', 'redis', 'kafka', 'mailpit', ...APPS])
      expect(Object.keys(services)).toContain(name);
    expect(services.postgres.image).toMatch(/^postgres:/);
    expect(services.redis.image).toMatch(/^redis:/);
    expect(services.kafka.image).toMatch(/^apache\/kafka:/);
    const builds = new Set(APPS.map((app) => JSON.stringify(services[app].build)));
    expect(builds.size).toBe(1);
    expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
  });

  it('starts each app from its compiled entry point with a health check', () => {
    for (const app of APPS) {
      expect(services[app].command).toEqual(['node', `dist/apps/${app}/main.js`]);
      expect(services[app].healthcheck?.test).toBeDefined();
    }
  });

  it('only depends on services that exist, with conditions', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dep, cond] of Object.entries<any>(service.depends_on ?? {})) {
        expect([name, Object.keys(services)]).toEqual([name, expect.arrayContaining([dep])]);
        expect(cond.condition).toMatch(/^service_(healthy|completed_successfully|started)$/);
      }
    }
  });

  it('lets every app run as several replicas (no fixed names, no single host port)', () => {
    for (const app of APPS) {
      expect(services[app].container_name).toBeUndefined();
      for (const port of services[app].ports ?? []) {
        // A host port range lets `--scale gateway=N` give each replica its own port.
        expect(String(port)).toMatch(/^(127\.0\.0\.1:)?\d+-\d+:\d+$/);
      }
    }
  });

  it('shares the CSV import spool between the gateway and the leads service', () => {
    for (const app of ['gateway', 'leads']) {
      expect(services[app].environment.LEADS_IMPORT_DIR).toBe('/data/imports');
      expect(services[app].volumes).toContain('imports:/data/imports');
    }
    expect(services.gateway.environment.TRACKING_SECRET).toBe(
      services.executor.environment.TRACKING_SECRET,
    );
  });

  it('gives the apps the variables their config needs to find each other', () => {
    for (const app of APPS) {
      const env = services[app].environment;
      for (const name of [
        'DATABASE_URL',
        'REDIS_URL',
        'KAFKA_BROKERS',
        'CAMPAIGNS_HOST',
        'LEADS_HOST',
        'ANALYTICS_HOST',
        'EXECUTOR_HOST',
      ]) {
        expect([app, name, typeof env[name]]).toEqual([app, name, 'string']);
      }
    }
  });
});
