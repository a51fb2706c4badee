import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'content_items' })
export class ContentItemEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId: string;
  @Column({ name: 'campaign_id', type: 'uuid' }) campaignId: string;
  @Column({ type: 'text' }) title: string;
  @Column({ name: 'content_type', type: 'text', nullable: true }) contentType: string | null;
  @Column({ type: 'text', nullable: true }) platform: string | null;
  @Column({ name: 'scheduled_date', type: 'timestamptz', nullable: true })
  scheduledDate: Date | null;
  @Column({ type: 'text' }) status: string;
  @Column({ type: 'text', nullable: true }) body: string | null;
  @Column({ type: 'text', nullable: true }) assignee: string | null;
  @Column({ name: 'media_key', type: 'text', nullable: true }) mediaKey: string | null;
  @Column({ name: 'media_name', type: 'text', nullable: true }) mediaName: string | null;
  @Column({ name: 'media_type', type: 'text', nullable: true }) mediaType: string | null;
  @Column({ name: 'media_size', type: 'int', nullable: true }) mediaSize: number | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}
