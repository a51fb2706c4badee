import { SingleFlight } from './single-flight';

describe('SingleFlight', () => {
  it('runs once for concurrent calls of one key and gives each the same result', async () => {
    const flights = new SingleFlight<string, number>();
    let calls = 0;
    let release!: (n: number) => void;
    const fn = () => {
      calls++;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const a = flights.run('k', fn);
    const b = flights.run('k', fn);
    const other = flights.run('other', async () => 7);
    await new Promise((r) => setImmediate(r));
    release(42);
    expect(await Promise.all([a, b, other])).toEqual([42, 42, 7]);
    expect(calls).toBe(1);
  });

  it('starts afresh once the previous call has settled, also after a failure', async () => {
    const flights = new SingleFlight<string, number>();
    await expect(
      flights.run('k', async () => {
        throw new Error('down');
      }),
    ).rejects.toThrow('down');
    // A synchronous throw is a rejection too, not an exception out of run().
    await expect(
      flights.run('k', () => {
        throw new Error('sync');
      }),
    ).rejects.toThrow('sync');
    expect(await flights.run('k', async () => 2)).toBe(2);
  });
});
