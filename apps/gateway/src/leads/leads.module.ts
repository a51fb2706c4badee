import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { diskStorage } from 'multer';
import { CampaignGuard } from './campaign-guard';
import { CampaignLeadsController } from './campaign-leads.controller';
import { LeadImportsController } from './lead-imports.controller';
import { LeadsController } from './leads.controller';
import { GATEWAY_LEADS_ENV, GatewayLeadsEnv, loadGatewayLeadsEnv } from './leads-env';
import { SegmentsController } from './segments.controller';
import { SuppressionsController } from './suppressions.controller';
import { ConsentPolicyController } from './consent-policy.controller';

@Module({
  providers: [{ provide: GATEWAY_LEADS_ENV, useFactory: loadGatewayLeadsEnv }],
  exports: [GATEWAY_LEADS_ENV],
})
class LeadsEnvModule {}

/**
 * Leads, segments, suppression, imports and exports: routing to the leads service.
 * Imports spool to disk (never memory) with a size limit multer turns into a 413.
 */
@Module({
  imports: [
    LeadsEnvModule,
    MulterModule.registerAsync({
      imports: [LeadsEnvModule],
      inject: [GATEWAY_LEADS_ENV],
      useFactory: (env: GatewayLeadsEnv) => {
        fs.mkdirSync(env.LEADS_IMPORT_DIR, { recursive: true, mode: 0o700 });
        return {
          storage: diskStorage({
            destination: env.LEADS_IMPORT_DIR,
            filename: (_req, _file, cb) => cb(null, `${randomUUID()}.csv`),
          }),
          limits: { fileSize: env.LEADS_IMPORT_MAX_BYTES, files: 1, fields: 10 },
        };
      },
    }),
  ],
  // The imports controller goes first: its /leads/imports routes must win over /leads/:id.
  controllers: [
    LeadImportsController,
    LeadsController,
    CampaignLeadsController,
    SegmentsController,
    SuppressionsController,
    ConsentPolicyController,
  ],
  providers: [CampaignGuard],
})
export class GatewayLeadsModule {}
