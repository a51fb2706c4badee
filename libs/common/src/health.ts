import { Controller, Get, Global, HttpCode, Injectable, Module, Res } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
import type { Response } from 'express';

export type HealthCheck = () => Promise<unknown>;

export interface HealthReport {
  status: 'ok' | 'error';
  service: string;
  uptimeSeconds: number;
  checks: Record<string, { status: 'ok' | 'error'; detail?: unknown; error?: string }>;
}

/** Each dependency registers a check; /health and the RPC health pattern run them all. */
@Injectable()
export class HealthService {
  private readonly checks = new Map<string, HealthCheck>();
  service = 'unknown';

  register(name: string, check: HealthCheck): void {
    this.checks.set(name, check);
  }

  async report(): Promise<HealthReport> {
    const entries = await Promise.all(
      [...this.checks].map(async ([name, check]) => {
        try {
          const detail = await withTimeout(check(), 2000);
          return [
            name,
            { status: 'ok' as const, ...(detail === undefined ? {} : { detail }) },
          ] as const;
        } catch (err) {
          return [name, { status: 'error' as const, error: (err as Error).message }] as const;
        }
      }),
    );
    const checks: HealthReport['checks'] = Object.fromEntries(entries);
    const status = Object.values(checks).every((c) => c.status === 'ok') ? 'ok' : 'error';
    return { status, service: this.service, uptimeSeconds: Math.round(process.uptime()), checks };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    promise.then(
      (v) => (clearTimeout(timer), resolve(v)),
      (e) => (clearTimeout(timer), reject(e)),
    );
  });
}

/** HTTP `GET /health` (503 when a check fails) and the service's RPC health pattern. */
export function createHealthController(rpcPattern: string) {
  @Controller()
  class HealthController {
    constructor(readonly health: HealthService) {}

    @Get('health')
    @HttpCode(200)
    async http(@Res() res: Response): Promise<void> {
      const report = await this.health.report();
      res.status(report.status === 'ok' ? 200 : 503).json(report);
    }

    @MessagePattern(rpcPattern)
    rpc(): Promise<HealthReport> {
      return this.health.report();
    }
  }
  return HealthController;
}

@Global()
@Module({ providers: [HealthService], exports: [HealthService] })
export class HealthModule {}
