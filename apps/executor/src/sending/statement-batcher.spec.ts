import { StatementBatcher } from './statement-batcher';

describe('StatementBatcher', () => {
  const deferred = () => {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    return { promise, release };
  };

  it('coalesces calls made together into one statement, answers in order', async () => {
    const batches: number[][] = [];
    const b = new StatementBatcher<number, number>(
      {
        many: async (xs) => {
          batches.push(xs);
          return xs.map((x) => x * 10);
        },
        one: async (x) => {
          batches.push([x]);
          return x * 10;
        },
      },
      100,
    );
    await expect(Promise.all([1, 2, 3].map((x) => b.run(x)))).resolves.toEqual([10, 20, 30]);
    expect(batches).toEqual([[1, 2, 3]]);
  });

  it('calls made while statements are in flight wait and go together in the next one', async () => {
    const gate = deferred();
    const batches: number[][] = [];
    const b = new StatementBatcher<number, number>(
      {
        many: async (xs) => {
          batches.push(xs);
          await gate.promise;
          return xs;
        },
        one: async (x) => {
          batches.push([x]);
          await gate.promise;
          return x;
        },
      },
      2,
      1,
    );
    const all = [1, 2, 3, 4, 5].map((x) => b.run(x));
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([[1, 2]]);
    gate.release();
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5]);
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('a failing batch is retried item by item: only the bad item fails', async () => {
    const b = new StatementBatcher<number, number>(
      {
        many: async (xs) => {
          if (xs.includes(13)) throw new Error('bad row in batch');
          return xs;
        },
        one: async (x) => {
          if (x === 13) throw new Error('bad row 13');
          return x;
        },
      },
      100,
    );
    const results = await Promise.allSettled([12, 13, 14].map((x) => b.run(x)));
    expect(results).toEqual([
      { status: 'fulfilled', value: 12 },
      { status: 'rejected', reason: new Error('bad row 13') },
      { status: 'fulfilled', value: 14 },
    ]);
  });
});
