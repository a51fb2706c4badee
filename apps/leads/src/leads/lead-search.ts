/**
 * `?search=` matches words: every word of the term must begin a word of the lead's first name,
 * last name, email or company, case-insensitively ("ann smi" finds Ann Smith; "acme" finds
 * ann@acme.io and Acme Corp; "mith" finds nothing). Postgres's `simple` text-search parser
 * splits both sides the same way (an address is a word of its own, and its local part and
 * domain are words too), so what a user types is tokenised exactly like what is stored.
 *
 * One expression, served by one GIN index (migration 1732690100008): the query must spell it
 * exactly like the index does, hence one definition. It replaced a trigram index that matched
 * any substring but cost twice as much to keep up during imports (docs/leads.md, "Search").
 */
export function SEARCH_DOCUMENT(alias?: string): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return (
    `to_tsvector('simple'::regconfig, coalesce(${c('first_name')}, '') || ' ' || ` +
    `coalesce(${c('last_name')}, '') || ' ' || ${c('email_normalized')} || ' ' || ` +
    `replace(${c('email_normalized')}, '@', ' ') || ' ' || coalesce(${c('company')}, ''))`
  );
}

/**
 * The tsquery for a search term given as the SQL parameter `param`: the term's words, split by
 * the same parser, each as a prefix (`word:*`), all required. Each lexeme is quoted for the
 * tsquery syntax, so no character of the term acts as an operator.
 */
export function searchQuery(param: string): string {
  const quoted = `'''' || replace(replace(w.lexeme, '\\', '\\\\'), '''', '''''') || ''':*'`;
  return (
    `(SELECT to_tsquery('simple'::regconfig, string_agg(${quoted}, ' & '))` +
    ` FROM unnest(to_tsvector('simple'::regconfig, ${param})) AS w)`
  );
}

/** Whether a term has anything to search for (the parser keeps only letters and digits). */
export function searchable(term: string): boolean {
  return /[\p{L}\p{N}]/u.test(term);
}
