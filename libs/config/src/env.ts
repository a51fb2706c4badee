/**
 * A tiny typed environment reader. Each app declares the variables it reads with their
 * defaults; `loadEnv` checks them all at boot and stops the process with one message per bad
 * variable, naming it, before anything connects anywhere.
 */
export interface VarSpec<T> {
  parse(raw: string, name: string): T;
  fallback?: T;
  describe: string;
}

export class ConfigError extends Error {}

function fail(name: string, raw: string, expected: string): never {
  throw new ConfigError(`${name}=${JSON.stringify(raw)} is invalid: expected ${expected}`);
}

export const str = (fallback?: string): VarSpec<string> => ({
  fallback,
  describe: 'string',
  parse: (raw, name) => (raw.length ? raw : fail(name, raw, 'a non-empty string')),
});

export const int = (
  fallback?: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): VarSpec<number> => ({
  fallback,
  describe: `integer ${min}..${max}`,
  parse: (raw, name) => {
    const n = Number(raw);
    return Number.isInteger(n) && n >= min && n <= max
      ? n
      : fail(name, raw, `an integer between ${min} and ${max}`);
  },
});

export const port = (fallback?: number): VarSpec<number> => int(fallback, 1, 65535);

export const bool = (fallback?: boolean): VarSpec<boolean> => ({
  fallback,
  describe: 'true|false',
  parse: (raw, name) =>
    ['true', '1', 'yes'].includes(raw)
      ? true
      : ['false', '0', 'no'].includes(raw)
        ? false
        : fail(name, raw, 'true or false'),
});

export const url = (protocols: string[], fallback?: string): VarSpec<string> => ({
  fallback,
  describe: `URL (${protocols.join(', ')})`,
  parse: (raw, name) => {
    try {
      const parsed = new URL(raw);
      if (protocols.includes(parsed.protocol.replace(/:$/, ''))) return raw;
    } catch {
      // fall through to the error below, which names the variable
    }
    return fail(name, raw, `a ${protocols.join(' or ')} URL`);
  },
});

export const oneOf = <T extends string>(values: readonly T[], fallback?: T): VarSpec<T> => ({
  fallback,
  describe: values.join('|'),
  parse: (raw, name) =>
    (values as readonly string[]).includes(raw)
      ? (raw as T)
      : fail(name, raw, `one of ${values.join(', ')}`),
});

export const list = (fallback?: string[]): VarSpec<string[]> => ({
  fallback,
  describe: 'comma-separated list',
  parse: (raw, name) => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return items.length ? items : fail(name, raw, 'a comma-separated list');
  },
});

export type EnvSpec = Record<string, VarSpec<unknown>>;
export type EnvOf<S extends EnvSpec> = {
  [K in keyof S]: S[K] extends VarSpec<infer T> ? T : never;
};

export function readEnv<S extends EnvSpec>(
  spec: S,
  source: NodeJS.ProcessEnv = process.env,
): EnvOf<S> {
  const out: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, varSpec] of Object.entries(spec)) {
    const raw = source[name];
    if (raw === undefined || raw === '') {
      if (varSpec.fallback === undefined)
        problems.push(`${name} is required (${varSpec.describe})`);
      else out[name] = varSpec.fallback;
      continue;
    }
    try {
      out[name] = varSpec.parse(raw, name);
    } catch (err) {
      problems.push((err as Error).message);
    }
  }
  if (problems.length)
    throw new ConfigError(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
  return out as EnvOf<S>;
}

/** Reads the env or ends the process with the message: used at the top of every main.ts. */
export function loadEnvOrExit<S extends EnvSpec>(spec: S, app: string): EnvOf<S> {
  try {
    return readEnv(spec);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`[${app}] ${err.message}\n`);
      process.exit(78);
    }
    throw err;
  }
}
