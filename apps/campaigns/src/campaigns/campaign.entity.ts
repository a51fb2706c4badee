import { JsonObject } from '@app/database';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

const numeric = {
  to: (v: number | null) => v,
  from: (v: string | null) => (v === null ? null : Number(v)),
};

@Entity({ name: 'campaigns' })
export class CampaignEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'text', nullable: true }) goal: string | null;
  @Column({ type: 'text' }) channel: string;
  @Column({ type: 'text' }) status: string;
  @Column({ name: 'target_audience', type: 'jsonb' }) targetAudience: JsonObject;
  @Column({ name: 'from_email', type: 'text', nullable: true }) fromEmail: string | null;
  @Column({ name: 'from_name', type: 'text', nullable: true }) fromName: string | null;
  @Column({ name: 'reply_to', type: 'text', nullable: true }) replyTo: string | null;
  @Column({ type: 'jsonb' }) content: JsonObject;
  @Column({ type: 'jsonb' }) schedule: JsonObject;
  @Column({ type: 'numeric', precision: 14, scale: 2, nullable: true, transformer: numeric })
  budget: number | null;
  @Column({ type: 'text' }) currency: string;
  @Column({ type: 'jsonb' }) goals: JsonObject;
  @Column({ type: 'jsonb' }) kpis: JsonObject[];
  @Column({ type: 'jsonb' }) channels: JsonObject[];
  @Column({ type: 'jsonb' }) strategy: JsonObject;
  @Column({ type: 'jsonb' }) settings: JsonObject;
  @Column({ name: 'integration_settings', type: 'jsonb' }) integrationSettings: JsonObject;
  @Column({ type: 'jsonb', nullable: true }) launch: JsonObject | null;
  @Column({ name: 'status_reason', type: 'text', nullable: true }) statusReason: string | null;
  @Column({ name: 'created_by', type: 'text', nullable: true }) createdBy: string | null;
  @Column({ name: 'cloned_from', type: 'uuid', nullable: true }) clonedFrom: string | null;
  @Column({ name: 'scheduled_at', type: 'timestamptz', nullable: true }) scheduledAt: Date | null;
  /** `schedule.endDate`, for the end sweep's index. */
  @Column({ name: 'ends_at', type: 'timestamptz', nullable: true }) endsAt: Date | null;
  @Column({ name: 'launched_at', type: 'timestamptz', nullable: true }) launchedAt: Date | null;
  @Column({ name: 'paused_at', type: 'timestamptz', nullable: true }) pausedAt: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt: Date | null;
  @Column({ name: 'cancelled_at', type: 'timestamptz', nullable: true }) cancelledAt: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
