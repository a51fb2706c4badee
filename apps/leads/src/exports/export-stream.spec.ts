import { DomainError } from '@app/common';
import { Logger } from '@nestjs/common';
import * as http from 'node:http';
import * as net from 'node:net';
import type { AddressInfo } from 'node:net';
import { NextPage, writeExport } from './export-stream';

/** Serves one writeExport over real HTTP and returns what a client gets. */
async function serve(nextPage: NextPage) {
  const logger = new Logger('test');
  jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  const server = http.createServer((_req, res) => {
    void writeExport(res, Buffer.from('h1,h2\r\n'), nextPage, logger, 60_000);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    // A cut response fails either at the headers or in the body, depending on timing.
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`).catch(
      () => null,
    );
    if (!res) return { status: 0, type: null, text: '', cut: true };
    const body = await res.text().then(
      (text) => ({ text, cut: false }),
      () => ({ text: '', cut: true }),
    );
    return { status: res.status, type: res.headers.get('content-type'), ...body };
  } finally {
    server.close();
  }
}

describe('writeExport', () => {
  it('writes the header and every page, asking for each with the previous key', async () => {
    const asked: (string | undefined)[] = [];
    const got = await serve(async (after, sink) => {
      asked.push(after);
      const n = asked.length;
      sink(Buffer.from(`r${n}a\r\n`));
      sink(Buffer.from(`r${n}b\r\n`));
      return n < 3 ? `k${n}` : null;
    });
    expect(got).toMatchObject({ status: 200, type: 'text/csv; charset=utf-8', cut: false });
    expect(got.text).toBe('h1,h2\r\nr1a\r\nr1b\r\nr2a\r\nr2b\r\nr3a\r\nr3b\r\n');
    expect(asked).toEqual([undefined, 'k1', 'k2']);
  });

  it('answers a failure of the first page with its status and the error as JSON', async () => {
    const got = await serve(async (_after, sink) => {
      sink(Buffer.from('partial\r\n'));
      throw new DomainError('VALIDATION_FAILED', 'bad filter', 400);
    });
    expect(got.status).toBe(400);
    expect(got.type).toBe('application/json');
    expect(JSON.parse(got.text)).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
  });

  it('cuts the response when a later page fails, so the file is visibly incomplete', async () => {
    const got = await serve(async (after, sink) => {
      if (after) throw new Error('connection lost');
      sink(Buffer.from('r1\r\n'));
      return 'k1';
    });
    expect(got.cut).toBe(true);
  });

  /** 1 MB pages, `pages` of them; the number of pages asked for so far. */
  function megabytePages(pages: number) {
    const asked = { n: 0 };
    const page = Buffer.alloc(1024 * 1024, 'x');
    const next: NextPage = async (_after, sink) => {
      asked.n++;
      sink(page);
      return asked.n < pages ? `k${asked.n}` : null;
    };
    return { asked, next };
  }

  /** A server running one writeExport with `stallMs`; resolves when writeExport returns. */
  async function stallServer(next: NextPage, stallMs: number) {
    const logger = new Logger('test');
    const warn = jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    let finished!: Promise<void>;
    const server = http.createServer((_req, res) => {
      finished = writeExport(res, Buffer.from('h\r\n'), next, logger, stallMs);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { server, warn, port: (server.address() as AddressInfo).port, done: () => finished };
  }

  it('cuts the response of a client that stops reading, and asks for no more pages', async () => {
    const { asked, next } = megabytePages(10_000);
    const { server, warn, port, done } = await stallServer(next, 300);
    const client = net.connect(port, '127.0.0.1');
    try {
      client.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
      client.pause(); // never reads: the socket buffers fill, then the export's queue
      const start = Date.now();
      while (!warn.mock.calls.length && Date.now() - start < 15_000)
        await new Promise((r) => setTimeout(r, 50));
      await done();
      expect(warn).toHaveBeenCalledWith(expect.objectContaining({ stallMs: 300 }));
      const pagesAtCut = asked.n;
      expect(pagesAtCut).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 500));
      expect(asked.n).toBe(pagesAtCut);
    } finally {
      client.destroy();
      server.close();
    }
  });

  it('lets a slow reader that keeps reading finish', async () => {
    const { next } = megabytePages(40);
    // 1 s without a drain: on a loaded machine this reader was once starved past 300 ms. The
    // whole read still takes about 2 s, so a cut measured on the whole response rather than
    // on idle time would fail here.
    const { server, warn, port, done } = await stallServer(next, 1000);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      const reader = res.body!.getReader();
      let bytes = 0;
      for (;;) {
        const { done: end, value } = await reader.read();
        if (end) break;
        bytes += value.length;
        await new Promise((r) => setTimeout(r, 5)); // slower than the server, never 300 ms idle
      }
      await done();
      expect(bytes).toBe(3 + 40 * 1024 * 1024);
      expect(warn).not.toHaveBeenCalled();
    } finally {
      server.close();
    }
  });
});
