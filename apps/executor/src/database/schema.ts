import { OutboxEntity, outboxLinesMigration, outboxNotifyMigration } from '@app/database';
import { ExecutorInitial1732690300000 } from './1732690300000-initial';
import { ExecutorExecution1732690400000 } from './1732690400000-execution';
import { ExecutorWebhooks1732690500000 } from './1732690500000-webhooks';
import { ExecutorSchedules1732690600000 } from './1732690600000-schedules';
import { ExecutorEnrollmentIds1732690700000 } from './1732690700000-enrollment-ids';
import { ExecutorChannelAccounts1732691000000 } from './1732691000000-channel-accounts';
import { ExecutorAbTests1732691100000 } from './1732691100000-ab-tests';
import { ExecutorWorkspaceLimits1732691200000 } from './1732691200000-workspace-limits';
import { ExecutorDispatchLease1732691500000 } from './1732691500000-dispatch-lease';
import { ExecutorProgressCounters1732691600000 } from './1732691600000-progress-counters';
import { ExecutorDeliveryMarks1732691800000 } from './1732691800000-delivery-marks';
import { ExecutorEmailRecipientIndex1732691900000 } from './1732691900000-email-recipient-index';
import { ExecutorOutboxLz41732692000000 } from './1732692000000-outbox-lz4';
import { ExecutorHotOutcomes1732692200000 } from './1732692200000-hot-outcomes';
import { ExecutorDispatchMarks1732692300000 } from './1732692300000-dispatch-marks';

export const SCHEMA = 'executor';
export const executorEntities = [OutboxEntity];
export const executorMigrations = [
  ExecutorInitial1732690300000,
  ExecutorExecution1732690400000,
  ExecutorWebhooks1732690500000,
  ExecutorSchedules1732690600000,
  ExecutorEnrollmentIds1732690700000,
  ExecutorChannelAccounts1732691000000,
  ExecutorAbTests1732691100000,
  ExecutorWorkspaceLimits1732691200000,
  ExecutorDispatchLease1732691500000,
  ExecutorProgressCounters1732691600000,
  outboxNotifyMigration('executor', 'ExecutorOutboxNotify1732691700000'),
  ExecutorDeliveryMarks1732691800000,
  ExecutorEmailRecipientIndex1732691900000,
  ExecutorOutboxLz41732692000000,
  outboxLinesMigration('executor', 'ExecutorOutboxLines1732692100000'),
  ExecutorHotOutcomes1732692200000,
  ExecutorDispatchMarks1732692300000,
];
