/**
 * `?search=` matches a lead when every word of the term begins a word of its first name, last
 * name, company, email domain or the parts of a dotted or hyphenated local part (jane.doe →
 * jane, doe), or when the whole term begins its email address; any case ("ann smi" finds Ann
 * Smith; "acme" finds ann@acme.io and Acme Corp; "ann@ac" and "ann" find ann@acme.io; "doe"
 * finds jane.doe@x.io; "mith" finds nothing). Postgres's `simple` text-search parser splits both the
 * term and the stored words the same way (a domain is one word, "o'neil" is two).
 *
 * Two indexes serve it: a GIN index over those words (SEARCH_DOCUMENT, which the query must
 * spell exactly like the index; migration 1732690100009), and for the prefix the workspace's
 * unique address index, in byte order since migration 1732690100010. Addresses are unique per
 * lead, and as GIN words (the address and a single-part local part) they made the word index
 * twice the size and its upkeep the costliest part of an import; in the unique btree they
 * cost nothing more (docs/leads.md, "Search").
 */
export function SEARCH_DOCUMENT(alias?: string): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  const local = `split_part(${c('email_normalized')}, '@', 1)`;
  return (
    `to_tsvector('simple'::regconfig, coalesce(${c('first_name')}, '') || ' ' || ` +
    `coalesce(${c('last_name')}, '') || ' ' || split_part(${c('email_normalized')}, '@', 2) || ' ' || ` +
    // A local part made of parts (jane.doe, camp-secret) gives its parts as words; one of a
    // single part is left to the address prefix (it would be a word no other lead has).
    `CASE WHEN ${local} ~ '[-._+]' THEN translate(${local}, '-._+', '    ') ELSE '' END || ' ' || ` +
    `coalesce(${c('company')}, ''))`
  );
}

/**
 * The address compared byte by byte, as the unique address index holds it (the column's own
 * collation since migration 1732690100010; spelled out so the range stays exact either way).
 */
export function EMAIL_PREFIX_KEY(alias?: string): string {
  return `(${alias ? `${alias}.` : ''}email_normalized COLLATE "C")`;
}

/**
 * The search condition for a term given as the SQL parameter `param`. Words: a tsquery of the
 * term's words, each quoted for the tsquery syntax (no character of the term acts as an
 * operator) and marked as a prefix, all required. Address: a range over the prefix index
 * (from the lower-cased term up to it followed by the highest code point), checked exactly
 * with starts_with.
 */
export function searchCondition(alias: string, param: string): string {
  const quoted = `'''' || replace(replace(w.lexeme, '\\', '\\\\'), '''', '''''') || ''':*'`;
  const words =
    `(SELECT to_tsquery('simple'::regconfig, string_agg(${quoted}, ' & '))` +
    ` FROM unnest(to_tsvector('simple'::regconfig, ${param})) AS w)`;
  const prefix = `lower(btrim(${param}))`;
  const key = EMAIL_PREFIX_KEY(alias);
  return (
    `(${SEARCH_DOCUMENT(alias)} @@ ${words} OR (${key} >= ${prefix} AND ` +
    `${key} < ${prefix} || chr(1114111) AND starts_with(${alias}.email_normalized, ${prefix})))`
  );
}

/** Whether a term has anything to search for (the parser keeps only letters and digits). */
export function searchable(term: string): boolean {
  return /[\p{L}\p{N}]/u.test(term);
}
