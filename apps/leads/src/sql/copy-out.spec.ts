import { ChunkPool, copyOut, CopyOutClient } from './copy-out';

/** A stand-in for a pg client: feeds the submittable the messages of a COPY OUT. */
function fakeClient(rows: string[], error?: Error): CopyOutClient {
  return {
    query(q) {
      const s = q as unknown as {
        submit(c: { query(t: string): void }): void;
        handleCopyData(m: { chunk: Buffer }): void;
        handleError(e: Error): void;
        handleReadyForQuery(): void;
      };
      s.submit({ query: () => undefined });
      setImmediate(() => {
        for (const row of rows) s.handleCopyData({ chunk: Buffer.from(`${row}\n`) });
        if (error) s.handleError(error);
        s.handleReadyForQuery();
      });
      return undefined;
    },
  };
}

describe('copyOut', () => {
  it('hands the rows over in chunks, each LF turned into CRLF, and keeps the last row', async () => {
    const rows = Array.from({ length: 100 }, (_, i) => `id-${String(i).padStart(3, '0')},x`);
    const chunks: Buffer[] = [];
    const pool = new ChunkPool(64);
    const out = await copyOut(fakeClient(rows), 'COPY', (c) => chunks.push(Buffer.from(c)), pool);
    expect(out.rows).toBe(100);
    expect(out.lastRow?.toString()).toBe('id-099,x\r\n');
    expect(Buffer.concat(chunks).toString()).toBe(rows.map((r) => `${r}\r\n`).join(''));
    // Whole rows per chunk, none over the chunk size.
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(64);
      expect(c.toString().endsWith('\r\n')).toBe(true);
    }
    expect(chunks.length).toBeGreaterThan(10);
  });

  it('passes rows on exactly as sent when CRLF is off (COPY text)', async () => {
    const rows = ['a\tb', 'c\t\\N', 'd'.repeat(70)];
    const chunks: Buffer[] = [];
    const out = await copyOut(
      fakeClient(rows),
      'COPY',
      (c) => chunks.push(Buffer.from(c)),
      new ChunkPool(64),
      false,
    );
    expect(Buffer.concat(chunks).toString()).toBe(rows.map((r) => `${r}\n`).join(''));
    expect(out.rows).toBe(3);
    expect(out.lastRow?.toString()).toBe(`${'d'.repeat(70)}\n`);
  });

  it('gives a row larger than a chunk a chunk of its own', async () => {
    const big = 'b'.repeat(200);
    const chunks: string[] = [];
    const out = await copyOut(
      fakeClient(['a', big, 'c']),
      'COPY',
      (c) => chunks.push(c.toString()),
      new ChunkPool(64),
    );
    expect(chunks).toEqual(['a\r\n', `${big}\r\n`, 'c\r\n']);
    expect(out.lastRow?.toString()).toBe('c\r\n');
  });

  it('reuses a chunk only once it is given back', async () => {
    const pool = new ChunkPool(32);
    const seen: Buffer[] = [];
    // Each chunk is given back at once: the next one is filled in the same memory.
    await copyOut(
      fakeClient(['x'.repeat(20), 'y'.repeat(20), 'z'.repeat(20)]),
      'COPY',
      (c) => {
        seen.push(c);
        expect(c.toString()).toMatch(/^(x+|y+|z+)\r\n$/);
        pool.give(c);
      },
      pool,
    );
    expect(new Set(seen.map((c) => c.buffer)).size).toBe(1);
    // Not given back: every chunk is its own memory.
    const kept: Buffer[] = [];
    await copyOut(fakeClient(['x'.repeat(20), 'y'.repeat(20)]), 'COPY', (c) => kept.push(c), pool);
    expect(kept.map((c) => c.toString())).toEqual([
      `${'x'.repeat(20)}\r\n`,
      `${'y'.repeat(20)}\r\n`,
    ]);
  });

  it('rejects with the server error', async () => {
    await expect(
      copyOut(fakeClient(['a'], new Error('boom')), 'COPY', () => undefined),
    ).rejects.toThrow('boom');
  });
});
