import { GatedConsumer, TopicGate } from './topic-gate';

/** Records what the gate asked of the consumer, in order. */
function consumer() {
  const calls: string[] = [];
  const c: GatedConsumer = {
    pause: ([{ topic }]) => void calls.push(`pause ${topic}`),
    resume: ([{ topic }]) => void calls.push(`resume ${topic}`),
    seek: ({ topic, partition, offset }) => void calls.push(`seek ${topic}/${partition}@${offset}`),
  };
  return { c, calls };
}

describe('TopicGate', () => {
  it('stays open while the events are wanted', async () => {
    const { c, calls } = consumer();
    const gate = new TopicGate(
      c,
      () => Promise.reject(new Error('not asked')),
      'm',
      async () => true,
    );
    await gate.tick();
    await gate.tick();
    expect(gate.isOpen).toBe(true);
    expect(calls).toEqual([]);
  });

  it('pauses when unwanted, then moves its own partitions to the ends read before each question', async () => {
    const { c, calls } = consumer();
    const order: string[] = [];
    let high = 10;
    const ends = async () => {
      order.push('ends');
      return [0, 1, 2].map((partition) => ({ partition, high: String(high + partition) }));
    };
    const wanted = async () => {
      order.push('wanted');
      return false;
    };
    const changes: boolean[] = [];
    const gate = new TopicGate(c, ends, 'm', wanted, (open) => changes.push(open));
    gate.assign([0, 2]);

    await gate.tick();
    expect(calls).toEqual(['pause m']);
    expect(changes).toEqual([false]);

    await gate.tick();
    expect(calls.slice(1)).toEqual(['pause m', 'seek m/0@10', 'seek m/2@12']);
    expect(order).toEqual(['wanted', 'ends', 'wanted']);

    // Nothing new on partition 0: it is not moved again; partition 2 grew.
    high = 10;
    await gate.tick();
    expect(calls.slice(4)).toEqual(['pause m']);
    high = 20;
    await gate.tick();
    expect(calls.slice(5)).toEqual(['pause m', 'seek m/0@20', 'seek m/2@22']);
  });

  it('resumes without moving anything once the events are wanted again', async () => {
    const { c, calls } = consumer();
    let want = false;
    const gate = new TopicGate(
      c,
      async () => [{ partition: 0, high: '5' }],
      'm',
      async () => want,
    );
    gate.assign([0]);
    await gate.tick();
    want = true;
    await gate.tick();
    expect(gate.isOpen).toBe(true);
    expect(calls).toEqual(['pause m', 'resume m']);
    await gate.tick();
    expect(calls).toEqual(['pause m', 'resume m']);
  });

  it('after a new assignment, moves the partitions it now holds', async () => {
    const { c, calls } = consumer();
    const gate = new TopicGate(
      c,
      async () => [0, 1].map((partition) => ({ partition, high: '7' })),
      'm',
      async () => false,
    );
    gate.assign([0]);
    await gate.tick();
    await gate.tick();
    gate.assign([0, 1]);
    await gate.tick();
    expect(calls.filter((x) => x.startsWith('seek'))).toEqual([
      'seek m/0@7',
      'seek m/0@7',
      'seek m/1@7',
    ]);
  });
});
