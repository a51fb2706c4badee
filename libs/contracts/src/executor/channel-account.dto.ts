import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
} from 'class-validator';

export const CHANNEL_ACCOUNT_KINDS = ['smtp'] as const;

/**
 * A sending account of a workspace: an SMTP server with its own credentials and its own
 * messages-per-second limit. Campaigns pick one with `settings.channelAccountId`; without it
 * they use the workspace's default account, else the deployment's SMTP server.
 */
export class CreateChannelAccountDto {
  @ApiProperty({ example: 'Marketing relay' })
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ enum: CHANNEL_ACCOUNT_KINDS, example: 'smtp', default: 'smtp' })
  @IsOptional()
  @IsIn(CHANNEL_ACCOUNT_KINDS)
  kind?: string;

  @ApiProperty({ example: 'smtp.example.com', description: 'Host name or IP address' })
  @IsString()
  @Matches(/^[A-Za-z0-9.:[\]-]{1,253}$/, { message: 'host must be a host name or an IP address' })
  host: string;

  @ApiProperty({ example: 587 })
  @IsInt()
  @Min(1)
  @Max(65535)
  port: number;

  @ApiPropertyOptional({ example: false, description: 'TLS from the start (port 465)' })
  @IsOptional()
  @IsBoolean()
  secure?: boolean;

  @ApiPropertyOptional({ example: 'apikey' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  username?: string;

  @ApiPropertyOptional({
    example: 's3cret',
    description: 'Stored encrypted, never returned; send null to remove it',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  password?: string | null;

  @ApiPropertyOptional({
    example: 50,
    description:
      'Messages per second through this account, across every executor (0 = no limit of its own)',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100000)
  ratePerSecond?: number;

  @ApiPropertyOptional({
    example: true,
    description: 'Used by the workspace’s campaigns that name no account',
  })
  @IsOptional()
  @IsBoolean()
  isDefault?: boolean;
}

export class UpdateChannelAccountDto extends PartialType(CreateChannelAccountDto) {}

export interface ChannelAccountView {
  id: string;
  name: string;
  kind: string;
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  /** Whether a password is stored; the password itself is never returned. */
  hasPassword: boolean;
  ratePerSecond: number;
  isDefault: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ChannelAccountCheck {
  id: string;
  ok: boolean;
  /** The server's answer when the connection or the login failed. */
  error: string | null;
  tookMs: number;
}
