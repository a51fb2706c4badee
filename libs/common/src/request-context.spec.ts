import { currentContext, openRequestContext, RequestContext } from './request-context';

const tick = () => new Promise((r) => setImmediate(r));
const ctx = (requestId: string): RequestContext => ({ requestId });

// runWithContext pins the storage on for the whole process, so it is tested in its own file
// (request-context-pinned.spec.ts); these tests only open and close request contexts.
describe('openRequestContext', () => {
  it('the context is visible in the handler and across its awaits until the request is done', async () => {
    const seen: (string | undefined)[] = [];
    const { result, done } = openRequestContext(ctx('a'), async () => {
      seen.push(currentContext()?.requestId);
      await tick();
      seen.push(currentContext()?.requestId);
    });
    await result;
    done();
    expect(seen).toEqual(['a', 'a']);
  });

  it('overlapping requests keep their own contexts; the first one done does not end the other', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const seenB: (string | undefined)[] = [];
    const a = openRequestContext(ctx('a'), () => tick());
    const b = openRequestContext(ctx('b'), async () => {
      await gate;
      seenB.push(currentContext()?.requestId);
    });
    await a.result;
    a.done();
    a.done(); // a second done of the same request changes nothing
    release();
    await b.result;
    expect(seenB).toEqual(['b']);
    b.done();
  });

  it('once the last request is done the storage is off (work it left behind sees no context), and the next request has its own again', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    let leftBehind: string | undefined = 'not run';
    const first = openRequestContext(ctx('a'), () => {
      // Work the handler started and did not wait for: it outlives the request.
      void gate.then(() => (leftBehind = currentContext()?.requestId));
    });
    first.done();
    release();
    await tick();
    expect(leftBehind).toBeUndefined();
    const later: (string | undefined)[] = [];
    const second = openRequestContext(ctx('b'), async () => {
      await tick();
      later.push(currentContext()?.requestId);
    });
    await second.result;
    second.done();
    expect(later).toEqual(['b']);
    expect(currentContext()).toBeUndefined();
  });

  it('a handler that throws closes its request and rethrows', () => {
    expect(() =>
      openRequestContext(ctx('a'), () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(currentContext()).toBeUndefined();
  });
});
