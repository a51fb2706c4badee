import { Controller, Get, Injectable, Res } from '@nestjs/common';
import type { Response } from 'express';
import { Counter, Gauge, Histogram, collectDefaultMetrics, Registry } from 'prom-client';

/** Prometheus metrics of this executor process, served at /metrics on the health port. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();
  readonly queueDepth = new Gauge({
    name: 'executor_queue_depth',
    help: 'Jobs waiting, prioritized or delayed, per queue',
    labelNames: ['queue'],
    registers: [this.registry],
  });
  readonly topicGateOpen = new Gauge({
    name: 'executor_topic_gate_open',
    help: 'Whether the webhook fan-out reads a topic (1) or skips it while no webhook wants its events (0)',
    labelNames: ['topic'],
    registers: [this.registry],
  });
  readonly dispatched = new Counter({
    name: 'executor_dispatched_total',
    help: 'Enrollment steps moved into the send queue',
    registers: [this.registry],
  });
  readonly sends = new Counter({
    name: 'executor_sends_total',
    help: 'Send outcomes by channel and outcome (sent, failed, bounced, uncertain, retry, skipped)',
    labelNames: ['channel', 'outcome'],
    registers: [this.registry],
  });
  readonly sendSeconds = new Histogram({
    name: 'executor_send_seconds',
    help: 'Time the channel took to accept or refuse a message',
    labelNames: ['channel'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  readonly limiterWaits = new Counter({
    name: 'executor_limiter_waits_total',
    help: 'Sends postponed by a limit: daily_limit, send_window, frequency_cap, account_rate, paused',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly noopSteps = new Counter({
    name: 'executor_noop_steps_total',
    help:
      'Steps a send job found nothing to do for: stale (the enrollment had moved on or ended) or ' +
      'claimed (the step was claimed before: a retried or re-dispatched job). A steady rise means ' +
      'rows are handed out twice, e.g. dispatch marks held back by a long-open transaction',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly enrolled = new Counter({
    name: 'executor_enrolled_total',
    help: 'Enrollments created',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'executor_' });
    // Shown from the start at 0, so a rise is visible from its first step.
    for (const reason of ['stale', 'claimed']) this.noopSteps.inc({ reason }, 0);
  }
}

@Controller()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get('metrics')
  async scrape(@Res() res: Response): Promise<void> {
    res.setHeader('content-type', this.metrics.registry.contentType);
    res.send(await this.metrics.registry.metrics());
  }
}
