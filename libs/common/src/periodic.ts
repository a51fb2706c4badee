import { Logger } from '@nestjs/common';

/**
 * A task run every `everyMs` in the background: a run still going when the next is due is not
 * started twice, a failed run is logged (with `failure` as the message) and the next one runs
 * as usual, and `stop()` waits for the run in progress.
 */
export class Periodic {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly logger: Logger,
    private readonly failure: string,
    private readonly everyMs: number,
    private readonly task: () => Promise<unknown>,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.running ??= this.task()
        .then(() => undefined)
        .catch((err) => this.logger.error({ msg: this.failure, error: (err as Error).message }))
        .finally(() => (this.running = undefined));
    }, this.everyMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
