import { Logger } from '@nestjs/common';
import { Periodic } from './periodic';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Periodic', () => {
  it('never overlaps a slow run, logs a failure and goes on, and stop() waits for the run', async () => {
    const logger = { error: jest.fn() } as unknown as Logger;
    let active = 0;
    let most = 0;
    let runs = 0;
    const loop = new Periodic(logger, 'tick failed', 5, async () => {
      runs++;
      active++;
      most = Math.max(most, active);
      await sleep(30);
      active--;
      if (runs === 1) throw new Error('boom');
    });
    loop.start();
    await sleep(120);
    await loop.stop();
    expect(most).toBe(1);
    expect(active).toBe(0);
    expect(runs).toBeGreaterThanOrEqual(2);
    expect(logger.error).toHaveBeenCalledWith({ msg: 'tick failed', error: 'boom' });
    const after = runs;
    await sleep(30);
    expect(runs).toBe(after);
  });
});
