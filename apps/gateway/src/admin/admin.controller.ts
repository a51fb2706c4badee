import { RequestContext } from '@app/common';
import {
  AccountsRpc,
  ApiKeyView,
  CreateApiKeyDto,
  CreatedApiKey,
  CreateWorkspaceDto,
  WorkspaceView,
} from '@app/contracts';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminOnly, Ctx } from '../auth/auth.decorators';
import { KeyRevocations } from '../auth/key-revocations';
import { ApiEnvelope } from '../docs/api-envelope';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { KEY_EXAMPLE, WORKSPACE_EXAMPLE } from '../docs/examples';

/** Tenant administration with an admin key: workspaces and every key of the tenant. */
@ApiTags('admin')
@ApiBearerAuth()
@AdminOnly()
@Controller('api/v1/admin')
export class AdminController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    private readonly revocations: KeyRevocations,
  ) {}

  @Get('workspaces')
  @ApiOperation({ summary: 'List the tenant’s workspaces' })
  @ApiEnvelope([WORKSPACE_EXAMPLE])
  listWorkspaces(@Ctx() ctx: RequestContext) {
    return this.campaigns.call<WorkspaceView[]>(AccountsRpc.listWorkspaces, {}, ctx);
  }

  @Post('workspaces')
  @ApiOperation({ summary: 'Create a workspace' })
  @ApiEnvelope(WORKSPACE_EXAMPLE, 201)
  createWorkspace(@Ctx() ctx: RequestContext, @Body() dto: CreateWorkspaceDto) {
    return this.campaigns.call<WorkspaceView>(AccountsRpc.createWorkspace, dto, ctx);
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List every key of the tenant (prefix only, never the key)' })
  @ApiEnvelope([KEY_EXAMPLE])
  listKeys(@Ctx() ctx: RequestContext) {
    return this.campaigns.call<ApiKeyView[]>(AccountsRpc.listKeys, { workspaceId: null }, ctx);
  }

  @Post('api-keys')
  @ApiOperation({ summary: 'Create another tenant admin key (shown once)' })
  @ApiEnvelope(
    { ...KEY_EXAMPLE, scope: 'admin', workspaceId: null, key: 'cpk_ab12cd34ef56_…' },
    201,
  )
  createAdminKey(@Ctx() ctx: RequestContext, @Body() dto: CreateApiKeyDto) {
    return this.campaigns.call<CreatedApiKey>(
      AccountsRpc.createKey,
      { workspaceId: null, name: dto.name },
      ctx,
    );
  }

  @Post('workspaces/:workspaceId/api-keys')
  @ApiOperation({ summary: 'Create a key for a workspace (shown once)' })
  @ApiEnvelope({ ...KEY_EXAMPLE, key: 'cpk_ab12cd34ef56_…' }, 201)
  createWorkspaceKey(
    @Ctx() ctx: RequestContext,
    @Param('workspaceId', UuidPipe) workspaceId: string,
    @Body() dto: CreateApiKeyDto,
  ) {
    return this.campaigns.call<CreatedApiKey>(
      AccountsRpc.createKey,
      { workspaceId, name: dto.name },
      ctx,
    );
  }

  @Delete('api-keys/:keyId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke any key of the tenant; effective at once on every gateway' })
  @ApiEnvelope({ ...KEY_EXAMPLE, revokedAt: '2025-01-20T10:00:00.000Z' })
  async revoke(@Ctx() ctx: RequestContext, @Param('keyId', UuidPipe) keyId: string) {
    const key = await this.campaigns.call<ApiKeyView>(
      AccountsRpc.revokeKey,
      { workspaceId: null, keyId },
      ctx,
    );
    await this.revocations.announce(key.id);
    return key;
  }
}
