import { GATEWAY_URL } from '@app/testing';
import fc from 'fast-check';
import { TenantFixture } from './fixtures';
import { anyJson, nastyNumber, nastyString } from './payloads';
import { fromSchema } from './schema-arbitrary';

export interface Operation {
  method: string;
  path: string;
  group: string;
  pathParams: string[];
  query: Array<{ name: string; schema: any }>;
  body?: any;
  multipart: boolean;
}

export interface SweepRequest {
  op: Operation;
  url: string;
  auth: 'valid' | 'none' | 'malformed' | 'unknown' | 'revoked';
  foreign: boolean;
  ownIds: string[];
  body?:
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; text: string }
    | { kind: 'form'; fields: Record<string, string>; file?: string };
}

export interface SweepContext {
  victim: TenantFixture;
  attacker: TenantFixture;
  attackerAdminKey: string;
  revokedKey: string;
  components: Record<string, any>;
}

/** Every operation of the OpenAPI document behind the API key, grouped by tag. */
export function loadOperations(doc: any): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries<any>(doc.paths)) {
    if (!path.startsWith('/api/v1/')) continue;
    for (const [method, op] of Object.entries<any>(methods)) {
      const params = (op.parameters ?? []) as Array<{ name: string; in: string; schema: any }>;
      const content = op.requestBody?.content ?? {};
      ops.push({
        method: method.toUpperCase(),
        path,
        group: (op.tags ?? ['untagged'])[0],
        pathParams: params.filter((p) => p.in === 'path').map((p) => p.name),
        query: params
          .filter((p) => p.in === 'query')
          .map((p) => ({ name: p.name, schema: p.schema })),
        body: content['application/json']?.schema,
        multipart: Boolean(content['multipart/form-data']) && !content['application/json'],
      });
    }
  }
  return ops;
}

/** Which fixture an `{id}` means, from the path segment before it. */
function idKind(path: string, param: string): string {
  if (param !== 'id') return param;
  const segment = path.split('/{id}')[0].split('/').pop()!;
  return (
    { campaigns: 'campaign', templates: 'template', leads: 'lead', segments: 'segment' }[segment] ??
    'campaign'
  );
}

const sources = fc.constantFrom('foreign', 'foreign', 'own', 'random');

export function requestArbitrary(op: Operation, ctx: SweepContext): fc.Arbitrary<SweepRequest> {
  const param = (name: string) =>
    fc
      .tuple(sources, fc.oneof(fc.uuid(), nastyString, nastyNumber.map(String)))
      .map(([source, random]) => {
        const kind = idKind(op.path, name);
        if (name === 'version') return { source: 'random', value: random };
        const fixture =
          source === 'foreign' ? ctx.victim : source === 'own' ? ctx.attacker : undefined;
        // An empty segment is another URL (the router's 404), not this route with a bad id.
        const value = fixture?.ids[kind] ?? (random.trim() ? random : `x${random}x`);
        return { source: fixture ? source : 'random', value };
      });
  const query = fc.record(
    Object.fromEntries(op.query.map((q) => [q.name, fromSchema(q.schema, ctx.components)])),
    { requiredKeys: [] },
  );
  const body: fc.Arbitrary<SweepRequest['body']> = op.multipart
    ? fc.record({
        kind: fc.constant('form' as const),
        fields: fc.dictionary(
          fc.constantFrom('title', 'status', 'name', 'policy', 'mapping', 'x'),
          nastyString,
          { maxKeys: 3 },
        ),
        file: fc.option(nastyString, { nil: undefined }),
      })
    : op.body
      ? fc.oneof(
          {
            weight: 17,
            arbitrary: fromSchema(op.body, ctx.components).map((value) => ({
              kind: 'json' as const,
              value,
            })),
          },
          { weight: 2, arbitrary: anyJson.map((value) => ({ kind: 'json' as const, value })) },
          {
            weight: 1,
            arbitrary: fc
              .constantFrom('{"name": ', '[1,2', 'x'.repeat(2 * 1024 * 1024), 'null')
              .map((text) => ({ kind: 'raw' as const, text })),
          },
        )
      : fc.constant(undefined);
  const auth = fc.oneof(
    { weight: 18, arbitrary: fc.constant('valid' as const) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        'none' as const,
        'malformed' as const,
        'unknown' as const,
        'revoked' as const,
      ),
    },
  );
  return fc
    .record({ params: fc.tuple(...op.pathParams.map(param)), query, body, auth })
    .map(({ params, query: q, body: b, auth: a }) => {
      let url = op.path;
      op.pathParams.forEach(
        (name, i) => (url = url.replace(`{${name}}`, encodeURIComponent(params[i].value))),
      );
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(q))
        if (v !== undefined) search.set(k, typeof v === 'string' ? v : JSON.stringify(v));
      const qs = search.toString();
      return {
        op,
        url: qs ? `${url}?${qs}` : url,
        auth: a,
        foreign: params.some((p) => p.source === 'foreign'),
        ownIds: params.filter((p) => p.source === 'own').map((p) => p.value),
        body: b,
      };
    });
}

export async function send(
  req: SweepRequest,
  ctx: SweepContext,
): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {};
  const ownKey = req.op.group === 'admin' ? ctx.attackerAdminKey : ctx.attacker.tenant.key;
  const keys = {
    valid: ownKey,
    none: '',
    malformed: 'not-a-key',
    unknown: `cpk_${'q'.repeat(12)}_${'z'.repeat(40)}`,
    revoked: ctx.revokedKey,
  };
  if (req.auth !== 'none')
    headers.authorization =
      req.auth === 'malformed' ? 'Basic Zm9vOmJhcg==' : `Bearer ${keys[req.auth]}`;
  let body: string | FormData | undefined;
  if (req.body?.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(req.body.value);
  } else if (req.body?.kind === 'raw') {
    headers['content-type'] = 'application/json';
    body = req.body.text;
  } else if (req.body?.kind === 'form') {
    const form = new FormData();
    for (const [k, v] of Object.entries(req.body.fields)) form.append(k, v);
    if (req.body.file !== undefined)
      form.append(
        req.op.path.includes('import') ? 'file' : 'media',
        new Blob([req.body.file]),
        'upload.csv',
      );
    body = form;
  }
  const res = await fetch(GATEWAY_URL + req.url, {
    method: req.op.method,
    headers,
    body,
    signal: AbortSignal.timeout(30000),
  });
  return { status: res.status, text: await res.text() };
}

/** What must hold for every request, whatever it carries. */
export function violations(
  req: SweepRequest,
  res: { status: number; text: string },
  ctx: SweepContext,
): string[] {
  const out: string[] = [];
  if (res.status >= 500) out.push(`answered ${res.status}`);
  if (req.auth !== 'valid' && res.status !== 401)
    out.push(`${req.auth} key answered ${res.status}, not 401`);
  if (req.foreign && res.status < 300) out.push(`another tenant's id answered ${res.status}`);
  // The marker is in the victim's names only; echoing the caller's own input back is no leak.
  const sent = decodeURIComponent(req.url) + JSON.stringify(req.body ?? '');
  if (res.text.includes(ctx.victim.marker) && !sent.includes(ctx.victim.marker))
    out.push('response contains the other tenant’s data');
  return out;
}

export async function pool<T>(
  items: T[],
  concurrency: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}
