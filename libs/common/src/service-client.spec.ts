import { ClientProxy } from '@nestjs/microservices';
import { Observable, of, throwError } from 'rxjs';
import { ServiceClient } from './service-client';

function fakeProxy(name: string, calls: string[]): ClientProxy {
  return {
    send: (pattern: string) => {
      calls.push(`${name}:${pattern}`);
      return of({ from: name });
    },
    close: () => undefined,
  } as unknown as ClientProxy;
}

describe('ServiceClient', () => {
  it('spreads calls over every replica address in turn', async () => {
    const calls: string[] = [];
    const client = new ServiceClient(
      'campaigns',
      [fakeProxy('a', calls), fakeProxy('b', calls)],
      1000,
    );
    for (let i = 0; i < 4; i++) await client.call('p', {}, { requestId: 'r' });
    expect(calls.sort()).toEqual(['a:p', 'a:p', 'b:p', 'b:p']);
  });

  it('turns a serialised service error back into a domain error with its status', async () => {
    const failing = {
      send: () =>
        throwError(() => ({
          code: 'CAMPAIGN_NOT_FOUND',
          message: 'Campaign not found',
          status: 404,
        })),
      close: () => undefined,
    } as unknown as ClientProxy;
    const client = new ServiceClient('campaigns', [failing], 1000);
    await expect(client.call('p', {}, { requestId: 'r' })).rejects.toMatchObject({
      status: 404,
      code: 'CAMPAIGN_NOT_FOUND',
    });
  });

  it('reports a refused connection as 503 and a slow service as 504', async () => {
    const refused = {
      send: () => throwError(() => Object.assign(new Error('x'), { code: 'ECONNREFUSED' })),
      close: () => undefined,
    } as unknown as ClientProxy;
    await expect(
      new ServiceClient('leads', [refused], 1000).call('p', {}, { requestId: 'r' }),
    ).rejects.toMatchObject({ status: 503 });
    const silent = {
      send: () => new Observable(() => undefined),
      close: () => undefined,
    } as unknown as ClientProxy;
    await expect(
      new ServiceClient('leads', [silent], 50).call('p', {}, { requestId: 'r' }),
    ).rejects.toMatchObject({ status: 504 });
  });
});
