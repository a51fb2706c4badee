/** The part of a writable stream `drained` listens to (an HTTP response, a socket). */
interface DrainSource {
  on(event: 'drain' | 'close', listener: () => void): unknown;
  off(event: 'drain' | 'close', listener: () => void): unknown;
}

/**
 * Resolves when the stream wants more (`drain`) or has gone (`close`), and leaves no listener
 * behind: what a writer awaits after `write()` returned false, so a slow or vanished client
 * slows the producer instead of piling chunks up in memory.
 */
export function drained(stream: DrainSource): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
