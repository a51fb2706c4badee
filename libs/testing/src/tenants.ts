import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Api } from './api-client';
import { appEnv } from './stack';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');

export interface TestTenant {
  slug: string;
  adminKey: string;
  admin: Api;
  workspaceId: string;
  key: string;
  api: Api;
}

export const uniqueSlug = (prefix: string) => `${prefix}-${randomBytes(4).toString('hex')}`;

/** Runs the operators' CLI against the test database; returns the last line of its output. */
export async function adminCli(
  args: string[],
): Promise<{ stdout: string; stderr: string; lastLine: string }> {
  const { stdout, stderr } = await run(
    process.execPath,
    [path.join(ROOT, 'dist/apps/campaigns/src/cli/admin-cli.js'), ...args],
    {
      cwd: ROOT,
      env: appEnv('campaigns'),
    },
  );
  const lines = stdout.trim().split('\n');
  return { stdout, stderr, lastLine: lines[lines.length - 1] };
}

/** A fresh tenant with an admin key and one workspace with its own key. */
export async function createTenant(prefix = 'tenant'): Promise<TestTenant> {
  const slug = uniqueSlug(prefix);
  const { lastLine: adminKey } = await adminCli(['api-key', 'create', '--tenant', slug, '--admin']);
  const admin = new Api(adminKey);
  const ws = await admin.post('/api/v1/admin/workspaces', { slug: 'main', name: 'Main' });
  if (ws.status !== 201) throw new Error(`workspace creation failed: ${ws.status} ${ws.text}`);
  const key = await admin.post(`/api/v1/admin/workspaces/${ws.body.data.id}/api-keys`, {
    name: 'e2e',
  });
  if (key.status !== 201) throw new Error(`key creation failed: ${key.status} ${key.text}`);
  return {
    slug,
    adminKey,
    admin,
    workspaceId: ws.body.data.id,
    key: key.body.data.key,
    api: new Api(key.body.data.key),
  };
}
