import { isUuid, uuidv7 } from './uuid';

describe('uuidv7', () => {
  it('is a canonical UUID of version 7 with the RFC variant', () => {
    const id = uuidv7();
    expect(isUuid(id)).toBe(true);
    expect(id[14]).toBe('7');
    expect('89ab').toContain(id[19]);
  });

  it('starts with the milliseconds it was made at, so ids sort by time', () => {
    const at = Date.UTC(2026, 10, 28, 21, 40, 0, 123);
    const id = uuidv7(at);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    expect(uuidv7(at) < uuidv7(at + 1)).toBe(true);
  });

  it('has random bits after the time: ids of one millisecond differ', () => {
    const at = Date.now();
    const ids = new Set(Array.from({ length: 1000 }, () => uuidv7(at)));
    expect(ids.size).toBe(1000);
  });
});

describe('uuidv7 within one millisecond', () => {
  it('counts up in its last 32 bits, so ids of one process ascend', () => {
    const at = Date.now() + 60_000;
    const a = uuidv7(at);
    const b = uuidv7(at);
    expect(a.slice(0, 28)).toBe(b.slice(0, 28));
    expect(parseInt(b.slice(28), 16)).toBe(parseInt(a.slice(28), 16) + 1);
    expect(a < b).toBe(true);
  });

  it('draws new random bits for the next millisecond', () => {
    const at = Date.now() + 120_000;
    const a = uuidv7(at);
    const b = uuidv7(at + 1);
    expect(b.slice(15, 28)).not.toBe(a.slice(15, 28));
    expect(b.slice(28)).toBe('00000000');
  });
});
