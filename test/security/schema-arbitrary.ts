import fc from 'fast-check';
import { anyJson, nastyNumber, nastyString } from './payloads';

type Schema = Record<string, any>;

/** Example URLs point at real hosts; the sweep only ever sends the stack to a loopback discard port. */
function loopbackOnly(example: unknown): unknown {
  return typeof example === 'string' && /^https?:\/\//.test(example)
    ? 'http://127.0.0.1:9/hook'
    : example;
}

/**
 * Values shaped like an OpenAPI schema, but with hostile contents: most fields get values of
 * the right type (so requests reach the services), some get the wrong type or unknown keys.
 */
export function fromSchema(
  schema: Schema | undefined,
  components: Record<string, Schema>,
  depth = 0,
): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return anyJson;
  if (schema.$ref)
    return fromSchema(components[schema.$ref.split('/').pop()], components, depth + 1);
  if (schema.allOf)
    return fromSchema(
      Object.assign(
        {},
        ...schema.allOf.map((s: Schema) => (s.$ref ? components[s.$ref.split('/').pop()] : s)),
      ),
      components,
      depth + 1,
    );
  const wrongType = anyJson;
  let right: fc.Arbitrary<unknown>;
  if (schema.enum) right = fc.oneof(fc.constantFrom(...schema.enum), nastyString);
  else if (schema.type === 'string')
    right =
      schema.example !== undefined
        ? fc.oneof(fc.constant(loopbackOnly(schema.example)), nastyString)
        : nastyString;
  else if (schema.type === 'integer' || schema.type === 'number') right = nastyNumber;
  else if (schema.type === 'boolean') right = fc.boolean();
  else if (schema.type === 'array')
    right = fc.array(fromSchema(schema.items, components, depth + 1), { maxLength: 3 });
  else if (schema.type === 'object' && schema.properties) {
    const props = schema.properties as Record<string, Schema>;
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [name, prop] of Object.entries(props))
      record[name] = fromSchema(prop, components, depth + 1);
    right = fc
      .tuple(
        fc.record(record, {
          requiredKeys: (schema.required ?? []).filter((k: string) => k in props),
        }),
        fc.dictionary(nastyString, anyJson, { maxKeys: 1 }),
        fc.boolean(),
      )
      .map(([known, extra, addExtra]) => (addExtra ? { ...known, ...extra } : known));
  } else if (schema.type === 'object' || schema.example)
    right = fc.oneof(
      fc.constant(
        JSON.parse(
          JSON.stringify(schema.example ?? {}).replace(
            /https?:\/\/[^"]+/g,
            'http://127.0.0.1:9/hook',
          ),
        ),
      ),
      fc.dictionary(nastyString, anyJson, { maxKeys: 3 }),
    );
  else right = anyJson;
  return fc.oneof({ weight: 6, arbitrary: right }, { weight: 1, arbitrary: wrongType });
}
