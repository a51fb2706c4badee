import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';

export interface ServiceDatabaseOptions {
  url: string;
  /** The service's own schema: no service reads another's (DESIGN.md, data ownership). */
  schema: string;
  entities: MixedList<Function | string | EntitySchema>;
  migrations: MixedList<Function | string>;
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource(opts: ServiceDatabaseOptions): DataSource {
  const options: DataSourceOptions = {
    type: 'postgres',
    url: opts.url,
    schema: opts.schema,
    entities: opts.entities,
    migrations: opts.migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: ['error'],
    applicationName: opts.applicationName ?? `campaign-platform:${opts.schema}`,
    extra: { max: opts.poolSize ?? 10 },
  };
  return new DataSource(options);
}

/**
 * Creates the schema and runs pending migrations under a Postgres advisory lock, so several
 * replicas booting at once migrate exactly once.
 */
export async function initializeAndMigrate(ds: DataSource, schema: string): Promise<void> {
  await ds.initialize();
  const runner = ds.createQueryRunner();
  try {
    await runner.connect();
    await runner.query('SELECT pg_advisory_lock(hashtext($1))', [`migrate:${schema}`]);
    await runner.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await ds.runMigrations({ transaction: 'each' });
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock(hashtext($1))', [`migrate:${schema}`])
      .catch(() => undefined);
    await runner.release();
  }
}

/**
 * The type of a jsonb column holding a JSON object. `any` values because TypeORM's update
 * typings cannot partially match `unknown`; the API layer validates these shapes.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type JsonObject = Record<string, any>;
