import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_INTERCEPTOR, APP_PIPE } from '@nestjs/core';
import { AdminController } from './admin/admin.controller';
import { GatewayAuthoringModule } from './authoring/authoring.module';
import { GatewayAnalyticsModule } from './analytics/analytics.module';
import { ApiKeysController } from './admin/api-keys.controller';
import { AuthModule } from './auth/auth.module';
import { GatewayCampaignsModule } from './campaigns/campaigns.module';
import { GatewayExecutionModule } from './execution/execution.module';
import { GatewayTrackingModule } from './tracking/tracking.module';
import { GatewayWebhooksModule } from './webhooks/webhooks.module';
import { GatewayChannelAccountsModule } from './channel-accounts/channel-accounts.module';
import { BodyErrorInterceptor } from './core/body-parsing';
import { EnvelopeInterceptor } from './core/envelope.interceptor';
import { GATEWAY_ENV, GatewayEnv } from './core/gateway-env';
import { HttpErrorFilter } from './core/http-exception.filter';
import { ServiceClientsModule } from './core/service-clients.module';
import { createValidationPipe } from './core/validation';
import { HealthController } from './health/health.controller';
import { GatewayLeadsModule } from './leads/leads.module';
import { QueuesModule } from './queues/queues.module';
import { GatewayTemplatesModule } from './templates/templates.module';

@Global()
@Module({})
class EnvModule {
  static register(env: GatewayEnv): DynamicModule {
    return {
      module: EnvModule,
      providers: [{ provide: GATEWAY_ENV, useValue: env }],
      exports: [GATEWAY_ENV],
    };
  }
}

/** The gateway: auth, validation, envelope and error mapping around thin routing controllers. */
@Module({})
export class AppModule {
  static register(env: GatewayEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        EnvModule.register(env),
        ServiceClientsModule,
        AuthModule,
        QueuesModule,
        GatewayCampaignsModule,
        GatewayTemplatesModule,
        GatewayAuthoringModule,
        GatewayExecutionModule,
        GatewayTrackingModule,
        GatewayWebhooksModule,
        GatewayChannelAccountsModule,
        GatewayAnalyticsModule,
        GatewayLeadsModule,
      ],
      controllers: [HealthController, AdminController, ApiKeysController],
      providers: [
        { provide: APP_PIPE, useFactory: createValidationPipe },
        { provide: APP_INTERCEPTOR, useClass: BodyErrorInterceptor },
        { provide: APP_INTERCEPTOR, useClass: EnvelopeInterceptor },
        { provide: APP_FILTER, useClass: HttpErrorFilter },
      ],
    };
  }
}
