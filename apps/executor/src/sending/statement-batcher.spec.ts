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

  describe('with a linger', () => {
    const recording = (batches: number[][]) => ({
      many: async (xs: number[]) => {
        batches.push(xs);
        return xs;
      },
      one: async (x: number) => {
        batches.push([x]);
        return x;
      },
    });

    it('calls that trickle in within the linger go in one statement', async () => {
      const batches: number[][] = [];
      const b = new StatementBatcher<number, number>(recording(batches), 100, 2, 80);
      const first = b.run(1);
      await new Promise((r) => setTimeout(r, 20));
      const second = b.run(2);
      await new Promise((r) => setTimeout(r, 20));
      expect(batches).toEqual([]);
      await expect(Promise.all([first, second, b.run(3)])).resolves.toEqual([1, 2, 3]);
      expect(batches).toEqual([[1, 2, 3]]);
    });

    it('time queued behind a statement in flight counts towards the linger', async () => {
      const batches: number[][] = [];
      let release!: () => void;
      const gate = new Promise<void>((r) => (release = r));
      const b = new StatementBatcher<number, number>(
        {
          many: async (xs) => {
            batches.push(xs);
            return xs;
          },
          one: async (x) => {
            batches.push([x]);
            if (x === 1) await gate;
            return x;
          },
        },
        100,
        1,
        300,
      );
      const first = b.run(1);
      await new Promise((r) => setTimeout(r, 320));
      expect(batches).toEqual([[1]]);
      const second = b.run(2);
      // 2 waits behind 1 for longer than the linger: once 1 is done it goes at once.
      await new Promise((r) => setTimeout(r, 400));
      release();
      await first;
      await new Promise((r) => setTimeout(r, 60));
      expect(batches).toEqual([[1], [2]]);
      await expect(second).resolves.toBe(2);
    });

    it('a full batch does not wait out the linger', async () => {
      const batches: number[][] = [];
      const b = new StatementBatcher<number, number>(recording(batches), 2, 2, 60000);
      const started = Date.now();
      await expect(Promise.all([b.run(1), b.run(2)])).resolves.toEqual([1, 2]);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(batches).toEqual([[1, 2]]);
      // What is left after a full batch still goes out after the linger, not never.
      jest.useFakeTimers();
      try {
        const late = b.run(3);
        expect(batches).toEqual([[1, 2]]);
        jest.advanceTimersByTime(60000);
        jest.useRealTimers();
        await expect(late).resolves.toBe(3);
        expect(batches).toEqual([[1, 2], [3]]);
      } finally {
        jest.useRealTimers();
      }
    });
  });
});
