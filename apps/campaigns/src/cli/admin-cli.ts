import 'reflect-metadata';
import { loadEnvOrExit } from '@app/config';
import { createDataSource, initializeAndMigrate } from '@app/database';
import { SLUG_PATTERN } from '@app/contracts';
import { DataSource } from 'typeorm';
import { AccountsService } from '../accounts/accounts.service';
import { campaignsEnv } from '../config';
import { campaignsEntities, SCHEMA } from '../database/entities';
import { campaignsMigrations } from '../database/migrations';

const USAGE = `Usage:
  npm run --silent admin -- api-key create --tenant <slug> --workspace <slug> [--name <label>]
  npm run --silent admin -- api-key create --tenant <slug> --admin [--name <label>]
  npm run --silent admin -- workspace list --tenant <slug>

Creates the tenant and workspace when missing. The new key is printed alone on the last line
of standard output; it is shown only this once (only its hash is stored).`;

function flags(args: string[]): Record<string, string | true> {
  const out: Record<string, string | true> = {};
  for (let i = 0; i < args.length; i++) {
    if (!args[i].startsWith('--')) continue;
    const name = args[i].slice(2);
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith('--')) {
      out[name] = next;
      i++;
    } else out[name] = true;
  }
  return out;
}

function slug(value: string | true | undefined, name: string): string {
  if (typeof value !== 'string' || !SLUG_PATTERN.test(value)) {
    throw new Error(`--${name} needs a slug (lowercase letters, digits and dashes)`);
  }
  return value;
}

async function run(ds: DataSource, argv: string[]): Promise<void> {
  const [noun, verb, ...rest] = argv;
  const opts = flags(rest);
  const accounts = new AccountsService(ds);
  if (noun === 'api-key' && verb === 'create') {
    const tenant = await accounts.ensureTenant(slug(opts.tenant, 'tenant'));
    const name = typeof opts.name === 'string' ? opts.name : 'cli';
    if (opts.admin) {
      const key = await accounts.createKey(tenant.id, null, name);
      process.stderr.write(`Created admin key ${key.prefix} for tenant ${tenant.slug}\n`);
      process.stdout.write(`${key.key}\n`);
      return;
    }
    const workspace = await accounts.ensureWorkspace(tenant.id, slug(opts.workspace, 'workspace'));
    const key = await accounts.createKey(tenant.id, workspace.id, name);
    process.stderr.write(
      `Created key ${key.prefix} for ${tenant.slug}/${workspace.slug} (workspace id ${workspace.id})\n`,
    );
    process.stdout.write(`${key.key}\n`);
    return;
  }
  if (noun === 'workspace' && verb === 'list') {
    const tenant = await accounts.ensureTenant(slug(opts.tenant, 'tenant'));
    for (const ws of await accounts.listWorkspaces(tenant.id))
      process.stdout.write(`${ws.id}\t${ws.slug}\t${ws.name}\n`);
    return;
  }
  throw new Error(USAGE);
}

async function main(): Promise<void> {
  const env = loadEnvOrExit(campaignsEnv, 'admin');
  const ds = createDataSource({
    url: env.DATABASE_URL,
    schema: SCHEMA,
    entities: campaignsEntities,
    migrations: campaignsMigrations,
    poolSize: 2,
  });
  await initializeAndMigrate(ds, SCHEMA);
  try {
    await run(ds, process.argv.slice(2));
  } finally {
    await ds.destroy();
  }
}

main().catch((err: Error) => {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
});
