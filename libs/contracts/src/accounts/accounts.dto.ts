import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export class CreateWorkspaceDto {
  @ApiProperty({ example: 'acme-marketing', description: 'Lowercase letters, digits and dashes' })
  @Matches(SLUG_PATTERN, { message: 'slug must be lowercase letters, digits and dashes (max 64)' })
  slug: string;

  @ApiPropertyOptional({ example: 'Acme Marketing' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

export class CreateApiKeyDto {
  @ApiProperty({ example: 'CI pipeline' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(100)
  name: string;
}

export interface WorkspaceView {
  id: string;
  tenantId: string;
  slug: string;
  name: string;
  createdAt: string;
}

export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  scope: 'workspace' | 'admin';
  workspaceId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Only at creation does the caller see the key itself. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

export interface ResolvedKey {
  apiKeyId: string;
  tenantId: string;
  workspaceId: string | null;
  admin: boolean;
}
