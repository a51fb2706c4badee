import { currentContext, openRequestContext, runWithContext } from './request-context';

describe('runWithContext beside request contexts', () => {
  it('a context entered with runWithContext survives the end of every RPC request', async () => {
    const seen: (string | undefined)[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const stream = runWithContext({ requestId: 'http' }, async () => {
      await gate;
      seen.push(currentContext()?.requestId);
    });
    const rpc = openRequestContext({ requestId: 'rpc' }, () => undefined);
    rpc.done();
    release();
    await stream;
    expect(seen).toEqual(['http']);
  });
});
