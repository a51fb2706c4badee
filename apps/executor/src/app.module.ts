import { createHealthController, HealthModule } from '@app/common';
import { HealthRpc } from '@app/contracts';
import { DatabaseModule } from '@app/database';
import { KafkaModule, serviceKafkaOptions } from '@app/kafka';
import { DynamicModule, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AbDecider } from './ab-test/ab-decider';
import { AbTestController } from './ab-test/ab-test.controller';
import { AbTestRepository } from './ab-test/ab-test.repository';
import { AbTestService } from './ab-test/ab-test.service';
import { WorkspaceLimits, WorkspaceLimitsController } from './limits/workspace-limits';
import { AuthoringContext } from './authoring/authoring-context';
import { AuthoringController } from './authoring/authoring.controller';
import { PreviewStepUseCase } from './authoring/preview.use-case';
import { SimulateCampaignUseCase } from './authoring/simulate.use-case';
import { TestSendUseCase } from './authoring/test-send.use-case';
import { ChannelRegistry } from './channels/channel-registry';
import { ChannelThreads } from './channels/channel-threads';
import { OutboundUrlController } from './channels/outbound-url.controller';
import { EXECUTOR_ENV, ExecutorEnv } from './config';
import { CAMPAIGNS_CLIENT, LEADS_CLIENT, ServiceClient } from './core/service-client';
import { executorEntities, executorMigrations, SCHEMA } from './database/schema';
import { Dispatcher } from './dispatch/dispatcher';
import { RedisLossDetector } from './dispatch/redis-loss';
import { EnrollCampaignUseCase } from './enrollment/enroll-campaign.use-case';
import { EnrollProcessor } from './enrollment/enroll.processor';
import { LeadEventsHandlers } from './enrollment/lead-events.handlers';
import { EventConsumer } from './events/event-consumer';
import { FailureTracker } from './lifecycle/failure-tracker';
import { ProgressController } from './lifecycle/progress.controller';
import { Sweepers } from './lifecycle/sweepers';
import { Scheduler } from './schedule/scheduler';
import { EngagementRepository } from './tracking/engagement.repository';
import { InboundUseCase } from './tracking/inbound.use-case';
import { TrackingController } from './tracking/tracking.controller';
import { LeadsSuppressionNotifier } from './tracking/leads-suppression.notifier';
import { UnsubscribeUseCase } from './tracking/unsubscribe.use-case';
import { WebhookDeliveryProcessor } from './webhooks/webhook-delivery.processor';
import { WebhookFanout } from './webhooks/webhook-fanout';
import { AccountPacer } from './channels/account-pacer';
import { ChannelAccountsController } from './channels/channel-accounts.controller';
import { ChannelAccountsService } from './channels/channel-accounts.service';
import { WebhooksController } from './webhooks/webhooks.controller';
import { WebhooksService } from './webhooks/webhooks.service';
import { Metrics, MetricsController } from './metrics/metrics';
import { Queues } from './queues/queues';
import { REDIS, RedisHealth } from './redis-health';
import { CampaignLifecycleHandlers } from './runs/campaign-lifecycle.handlers';
import { LaunchRunUseCase } from './runs/launch-run.use-case';
import { RunStatusCache } from './runs/run-status.cache';
import { RunRepository } from './runs/run.repository';
import { DeliveryRepository } from './sending/delivery.repository';
import { LinkStore } from './sending/link-store';
import { SendStepProcessor } from './sending/send-step.processor';
import { SendStepUseCase } from './sending/send-step.use-case';
import { SendableChecker } from './sending/sendable-checker';

class ClientsCloser implements OnApplicationShutdown {
  constructor(
    @Inject(CAMPAIGNS_CLIENT) private readonly campaigns: ServiceClient,
    @Inject(LEADS_CLIENT) private readonly leads: ServiceClient,
  ) {}
  onApplicationShutdown(): void {
    this.campaigns.close();
    this.leads.close();
  }
}

/** The executor: enrollment, dispatch, sending, limits, lifecycle; RPC for progress. */
@Module({})
export class AppModule {
  static register(env: ExecutorEnv): DynamicModule {
    return {
      module: AppModule,
      imports: [
        HealthModule,
        DatabaseModule.forService({
          url: env.DATABASE_URL,
          schema: SCHEMA,
          entities: executorEntities,
          migrations: executorMigrations,
          poolSize: env.DATABASE_POOL_SIZE,
        }),
        KafkaModule.forRoot(serviceKafkaOptions(env, 'executor', SCHEMA)),
      ],
      controllers: [
        createHealthController(HealthRpc.executor),
        MetricsController,
        ProgressController,
        TrackingController,
        WebhooksController,
        ChannelAccountsController,
        AuthoringController,
        AbTestController,
        WorkspaceLimitsController,
        OutboundUrlController,
      ],
      providers: [
        { provide: EXECUTOR_ENV, useValue: env },
        {
          provide: REDIS,
          useFactory: () => new Redis(env.REDIS_URL, { maxRetriesPerRequest: null }),
        },
        {
          provide: CAMPAIGNS_CLIENT,
          useFactory: () =>
            ServiceClient.connect('campaigns', env.CAMPAIGNS_HOST, env.CAMPAIGNS_PORT),
        },
        {
          provide: LEADS_CLIENT,
          useFactory: () => ServiceClient.connect('leads', env.LEADS_HOST, env.LEADS_PORT),
        },
        ClientsCloser,
        RedisHealth,
        Metrics,
        Queues,
        EventConsumer,
        RunRepository,
        RunStatusCache,
        LaunchRunUseCase,
        CampaignLifecycleHandlers,
        EnrollCampaignUseCase,
        EnrollProcessor,
        LeadEventsHandlers,
        Dispatcher,
        RedisLossDetector,
        DeliveryRepository,
        LinkStore,
        SendableChecker,
        ChannelRegistry,
        ChannelThreads,
        FailureTracker,
        SendStepUseCase,
        SendStepProcessor,
        Sweepers,
        EngagementRepository,
        UnsubscribeUseCase,
        InboundUseCase,
        LeadsSuppressionNotifier,
        WebhooksService,
        ChannelAccountsService,
        AccountPacer,
        WebhookFanout,
        WebhookDeliveryProcessor,
        Scheduler,
        AuthoringContext,
        PreviewStepUseCase,
        TestSendUseCase,
        SimulateCampaignUseCase,
        AbTestRepository,
        AbTestService,
        AbDecider,
        WorkspaceLimits,
      ],
    };
  }
}
