/**
 * The text `?search=` looks in: first name, last name, email and company, lower-cased, in one
 * expression so that one trigram index (migration 1732690100003) serves it. The query must
 * spell it exactly like the index does, hence one definition. Parts are joined by a space, so
 * "ann smith" finds Ann Smith.
 */
export function SEARCH_TEXT(alias?: string): string {
  const c = (column: string) => (alias ? `${alias}.${column}` : column);
  return (
    `lower(coalesce(${c('first_name')}, '') || ' ' || coalesce(${c('last_name')}, '') || ' ' || ` +
    `${c('email_normalized')} || ' ' || coalesce(${c('company')}, ''))`
  );
}
