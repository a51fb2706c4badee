import { Logger } from '@nestjs/common';
import { settlesWithin } from '@app/testing/settles';
import { Producer } from 'kafkajs';
import { DataSource } from 'typeorm';
import { OutboxRelay } from './outbox-relay';

/** A LISTEN connection that never comes up: the relay stays on its (here hour-long) poll. */
class PendingClient {
  on(): void {}
  connect(): Promise<void> {
    return new Promise(() => undefined);
  }
  query(): Promise<unknown> {
    return Promise.resolve();
  }
  end(): Promise<void> {
    return Promise.resolve();
  }
}

describe('OutboxRelay.stop', () => {
  const hour = 3_600_000;
  const ds = {
    driver: { master: { Client: PendingClient, options: {} } },
  } as unknown as DataSource;

  function relay(): OutboxRelay {
    return new OutboxRelay(
      ds,
      'test',
      {} as Producer,
      { brokers: [], clientId: 'x', topicPrefix: '' },
      new Logger('OutboxRelay'),
      1000,
      {
        lingerMs: hour,
        idleMs: hour,
        pollMs: hour,
      },
    );
  }

  it('ends a wait that started before it', async () => {
    const r = relay();
    let publishes = 0;
    r.publishBatch = async () => {
      publishes++;
      return 0;
    };
    r.start();
    await new Promise((resolve) => setTimeout(resolve, 20)); // the loop is asleep now
    expect(publishes).toBe(1);
    expect(await settlesWithin(r.stop())).toBe(true);
  });

  it('comes back when it arrives during a publish (no wait starts after it)', async () => {
    const r = relay();
    let release!: (n: number) => void;
    let publishing!: () => void;
    const started = new Promise<void>((resolve) => (publishing = resolve));
    r.publishBatch = () => {
      publishing();
      return new Promise<number>((resolve) => (release = resolve));
    };
    r.start();
    await started;
    const stopped = r.stop();
    release(0); // nothing moved: the loop would now wait for the next poll
    expect(await settlesWithin(stopped)).toBe(true);
  });
});
