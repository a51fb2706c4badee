import { ExecutorEnv } from '../config';
import { Dispatcher } from './dispatcher';

/** A dispatcher whose ticks only count, each taking `tickMs`. */
function dispatcher(intervalMs: number, tickMs = 0) {
  const env = { DISPATCH_INTERVAL_MS: intervalMs } as ExecutorEnv;
  const none = null as never; // tick() is replaced: nothing else is used
  const d = new Dispatcher(none, none, none, none, none, none, env);
  const ticks: number[] = [];
  const started = Date.now();
  d.tick = async () => {
    ticks.push(Date.now() - started);
    await new Promise((r) => setTimeout(r, tickMs));
    return 0;
  };
  return { d, ticks };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Dispatcher.poke', () => {
  it('ticks at once instead of at the next interval', async () => {
    const { d, ticks } = dispatcher(60_000);
    d.onApplicationBootstrap();
    await sleep(20);
    expect(ticks).toEqual([]);
    d.poke();
    await sleep(20);
    expect(ticks).toHaveLength(1);
    await d.beforeApplicationShutdown();
  });

  it('during a tick, asks for one more right after it, however many pokes came', async () => {
    const { d, ticks } = dispatcher(60_000, 50);
    d.onApplicationBootstrap();
    d.poke();
    await sleep(10);
    d.poke();
    d.poke();
    await sleep(150);
    expect(ticks).toHaveLength(2);
    expect(ticks[1] - ticks[0]).toBeGreaterThanOrEqual(45);
    await d.beforeApplicationShutdown();
  });

  it('does nothing once stopped', async () => {
    const { d, ticks } = dispatcher(60_000);
    d.onApplicationBootstrap();
    await d.beforeApplicationShutdown();
    d.poke();
    await sleep(20);
    expect(ticks).toEqual([]);
  });
});
