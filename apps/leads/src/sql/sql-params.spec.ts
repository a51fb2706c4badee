import { serverQuoted, SqlParams } from './sql-params';

describe('serverQuoted', () => {
  it('turns each bind parameter into a %L of format(), values still bound', () => {
    const p = new SqlParams();
    const sql = `COPY (SELECT 1 WHERE a = ${p.add('x')} AND b = ${p.add(5, 'int')}) TO STDOUT`;
    expect(serverQuoted(sql, p.values)).toEqual({
      text: 'SELECT format($1::text, $2::text, $3::text) AS sql',
      values: ['COPY (SELECT 1 WHERE a = %1$L AND b = %2$L::int) TO STDOUT', 'x', 5],
    });
  });

  it('keeps a literal % of the statement and tells $1 from $10', () => {
    const values = Array.from({ length: 10 }, (_, i) => i);
    const { values: out } = serverQuoted(`x LIKE 'a%' AND y = $1 AND z = $10`, values);
    expect(out[0]).toBe(`x LIKE 'a%%' AND y = %1$L AND z = %10$L`);
  });
});
