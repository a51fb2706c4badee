import { JsonObject } from '@app/database';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

export interface StoredVariant {
  id: string;
  name: string;
  weight: number;
  subject?: string;
  bodyHtml?: string;
  bodyText?: string;
  templateId?: string;
  templateVersion?: number;
}

@Entity({ name: 'steps' })
export class StepEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ type: 'int' }) position: number;
  @Column({ type: 'text' }) type: string;
  @Column({ type: 'text', nullable: true }) name: string | null;
  @Column({ type: 'text', nullable: true }) subject: string | null;
  @Column({ name: 'body_html', type: 'text', nullable: true }) bodyHtml: string | null;
  @Column({ name: 'body_text', type: 'text', nullable: true }) bodyText: string | null;
  @Column({ name: 'template_id', type: 'uuid', nullable: true }) templateId: string | null;
  @Column({ name: 'template_version', type: 'int', nullable: true }) templateVersion: number | null;
  @Column({ type: 'jsonb', nullable: true }) delay: { amount: number; unit: string } | null;
  @Column({ type: 'jsonb', nullable: true }) condition: JsonObject | null;
  @Column({ type: 'jsonb', nullable: true }) webhook: JsonObject | null;
  @Column({ type: 'jsonb' }) variants: StoredVariant[];
  @Column({ type: 'jsonb' }) metadata: JsonObject;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
