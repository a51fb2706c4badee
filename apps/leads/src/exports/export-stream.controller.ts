import { NotFoundError, runWithContext } from '@app/common';
import { Controller, Get, Inject, Logger, Param, Res } from '@nestjs/common';
import { LEADS_ENV, LeadsEnv } from '../leads-env';
import type { Response } from 'express';
import { ExportService } from './export.service';
import { sendError, writeExport } from './export-stream';

/**
 * The bytes of an export, over this service's HTTP port, for the gateway to pipe to its
 * client: no JSON framing, no strings, large chunks, backpressure end to end. Only a ticket
 * issued by the `leads.export.open` RPC (scope and filters checked there) opens one, once.
 */
@Controller('internal/exports')
export class ExportStreamController {
  private readonly logger = new Logger('ExportStream');

  constructor(
    private readonly exporter: ExportService,
    @Inject(LEADS_ENV) private readonly env: LeadsEnv,
  ) {}

  @Get(':ticket')
  async stream(@Param('ticket') ticket: string, @Res() res: Response): Promise<void> {
    const grant = this.exporter.redeem(ticket);
    if (!grant) return sendError(res, new NotFoundError('export ticket'));
    await runWithContext(grant.ctx, () =>
      writeExport(
        res,
        this.exporter.header(),
        async (after, sink, pool) =>
          (await this.exporter.page(grant.scope, grant.filters, after, sink, pool)).nextAfterId,
        this.logger,
        this.env.LEADS_EXPORT_STALL_MS,
      ),
    );
  }
}
