import { DueCursors } from './due-cursors';

const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 12, 0, s));

describe('DueCursors', () => {
  let now = 0;
  const cursors = () => new DueCursors(2000, () => now);
  beforeEach(() => (now = 1_000_000));

  it('starts from the beginning of the range', () => {
    expect(cursors().from('c')).toBeNull();
  });

  it('after a lease served in full, starts from the latest due time it took', () => {
    const c = cursors();
    c.leased('c', 3, [at(5), at(9), at(7)]);
    expect(c.from('c')).toEqual(at(9));
    expect(c.from('other')).toBeNull();
  });

  it('a short lease (the end of what is due) sends the next one back to the start', () => {
    const c = cursors();
    c.leased('c', 3, [at(5), at(9), at(7)]);
    c.leased('c', 3, [at(10)]);
    expect(c.from('c')).toBeNull();
  });

  it('reads the whole range again at the latest rescanMs after the cursor was first set', () => {
    const c = cursors();
    c.leased('c', 1, [at(1)]);
    now += 1500;
    c.leased('c', 1, [at(2)]);
    expect(c.from('c')).toEqual(at(2));
    now += 500;
    expect(c.from('c')).toBeNull();
    // and a new chain starts its own clock
    c.leased('c', 1, [at(3)]);
    now += 1999;
    expect(c.from('c')).toEqual(at(3));
  });
});
