import { JsonObject } from '@app/database';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

@Entity({ name: 'templates' })
export class TemplateEntity {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ name: 'tenant_id', type: 'uuid' }) tenantId: string;
  @Column({ name: 'workspace_id', type: 'uuid' }) workspaceId: string;
  @Column({ type: 'text' }) name: string;
  @Column({ type: 'text' }) channel: string;
  @Column({ type: 'text', nullable: true }) description: string | null;
  @Column({ type: 'text', array: true }) tags: string[];
  @Column({ name: 'current_version', type: 'int' }) currentVersion: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt: Date;
}

/** Content is immutable per version: editing content writes a new version. */
@Entity({ name: 'template_versions' })
export class TemplateVersionEntity {
  @PrimaryColumn({ name: 'template_id', type: 'uuid' }) templateId: string;
  @PrimaryColumn({ type: 'int' }) version: number;
  @Column({ type: 'text', nullable: true }) subject: string | null;
  @Column({ name: 'body_html', type: 'text', nullable: true }) bodyHtml: string | null;
  @Column({ name: 'body_text', type: 'text', nullable: true }) bodyText: string | null;
  @Column({ name: 'text_generated', type: 'boolean' }) textGenerated: boolean;
  @Column({ type: 'jsonb' }) variables: JsonObject[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt: Date;
}
