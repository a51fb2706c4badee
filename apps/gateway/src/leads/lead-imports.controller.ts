import { Paged, RequestContext } from '@app/common';
import {
  ExportPage,
  ImportIssueView,
  ImportJobView,
  ImportLeadsDto,
  LeadsApiRpc,
  PageQuery,
} from '@app/contracts';
import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  Res,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ctx } from '../auth/auth.decorators';
import { paged } from '../core/envelope';
import { LEADS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { ApiCsv } from './csv-docs';
import { streamCsv } from './csv-stream';
import { discardUpload, importInput } from './import-upload';
import { IMPORT_EXAMPLE, IMPORT_ISSUE_EXAMPLE, REJECTIONS_CSV_EXAMPLE } from './leads-examples';

/**
 * CSV imports. The upload is spooled to LEADS_IMPORT_DIR (shared with the leads service,
 * docs/leads.md says why) and the job runs in the leads service; clients poll the job.
 */
@ApiTags('lead imports')
@ApiBearerAuth()
@Controller('api/v1/leads')
export class LeadImportsController {
  constructor(@Inject(LEADS) private readonly leads: ServiceClient) {}

  @Post('import')
  @HttpCode(202)
  @UseInterceptors(FileInterceptor('file'))
  @ApiConsumes('multipart/form-data')
  @ApiOperation({
    summary:
      'Start a CSV import (field `file`); answers at once with the job to poll (413 when too big)',
  })
  @ApiEnvelope({ ...IMPORT_EXAMPLE, status: 'queued' }, 202)
  async start(
    @Ctx() ctx: RequestContext,
    @Body() dto: ImportLeadsDto,
    @UploadedFile() file?: Express.Multer.File,
  ) {
    try {
      return await this.leads.call<ImportJobView>(
        LeadsApiRpc.createImport,
        importInput(file, dto),
        ctx,
      );
    } catch (err) {
      discardUpload(file);
      throw err;
    }
  }

  @Get('imports')
  @ApiOperation({ summary: 'Import jobs of the workspace, newest first' })
  @ApiEnvelope([IMPORT_EXAMPLE])
  async list(@Ctx() ctx: RequestContext, @Query() q: PageQuery) {
    return paged(await this.leads.call<Paged<ImportJobView>>(LeadsApiRpc.listImports, q, ctx));
  }

  @Get('imports/:jobId')
  @ApiOperation({ summary: 'Progress (rows done, rate, ETA) and, once finished, the result' })
  @ApiEnvelope(IMPORT_EXAMPLE)
  get(@Ctx() ctx: RequestContext, @Param('jobId', UuidPipe) id: string) {
    return this.leads.call<ImportJobView>(LeadsApiRpc.getImport, { id }, ctx);
  }

  @Get('imports/:jobId/rejections')
  @ApiOperation({ summary: 'Rejected and skipped rows with their line number and reason' })
  @ApiEnvelope([IMPORT_ISSUE_EXAMPLE])
  async issues(
    @Ctx() ctx: RequestContext,
    @Param('jobId', UuidPipe) id: string,
    @Query() q: PageQuery,
  ) {
    return paged(
      await this.leads.call<Paged<ImportIssueView>>(LeadsApiRpc.importIssues, { id, ...q }, ctx),
    );
  }

  @Get('imports/:jobId/rejections.csv')
  @ApiCsv(
    REJECTIONS_CSV_EXAMPLE,
    'Every skipped and rejected row with line, outcome, reason and its original cells',
  )
  @ApiOperation({
    summary: 'The same rows as a CSV download (line, outcome, reason, original columns)',
  })
  async issuesCsv(
    @Ctx() ctx: RequestContext,
    @Param('jobId', UuidPipe) id: string,
    @Res() res: Response,
  ): Promise<void> {
    await streamCsv(res, `import-${id}-rejections.csv`, '', (after) =>
      this.leads.call<ExportPage>(LeadsApiRpc.importIssuesCsv, { id, after }, ctx),
    );
  }
}
