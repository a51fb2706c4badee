import { RequestContext, scopeOf } from '@app/common';
import { AccountsRpc, ApiKeyView, CreateApiKeyDto, CreatedApiKey } from '@app/contracts';
import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Ctx } from '../auth/auth.decorators';
import { KeyRevocations } from '../auth/key-revocations';
import { CAMPAIGNS } from '../core/service-clients.module';
import { ServiceClient } from '../core/service-client';
import { UuidPipe } from '../core/uuid.pipe';
import { ApiEnvelope } from '../docs/api-envelope';
import { KEY_EXAMPLE } from '../docs/examples';

/** A workspace managing its own keys. */
@ApiTags('api-keys')
@ApiBearerAuth()
@Controller('api/v1/api-keys')
export class ApiKeysController {
  constructor(
    @Inject(CAMPAIGNS) private readonly campaigns: ServiceClient,
    private readonly revocations: KeyRevocations,
  ) {}

  @Get()
  @ApiOperation({ summary: 'List this workspace’s keys (prefix only)' })
  @ApiEnvelope([KEY_EXAMPLE])
  list(@Ctx() ctx: RequestContext) {
    return this.campaigns.call<ApiKeyView[]>(
      AccountsRpc.listKeys,
      { workspaceId: scopeOf(ctx).workspaceId },
      ctx,
    );
  }

  @Post()
  @ApiOperation({
    summary: 'Create a key for this workspace; the key is in the response only this once',
  })
  @ApiEnvelope({ ...KEY_EXAMPLE, key: 'cpk_ab12cd34ef56_…' }, 201)
  create(@Ctx() ctx: RequestContext, @Body() dto: CreateApiKeyDto) {
    return this.campaigns.call<CreatedApiKey>(
      AccountsRpc.createKey,
      { workspaceId: scopeOf(ctx).workspaceId, name: dto.name },
      ctx,
    );
  }

  @Delete(':keyId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a key of this workspace' })
  @ApiEnvelope({ ...KEY_EXAMPLE, revokedAt: '2025-01-20T10:00:00.000Z' })
  async revoke(@Ctx() ctx: RequestContext, @Param('keyId', UuidPipe) keyId: string) {
    const key = await this.campaigns.call<ApiKeyView>(
      AccountsRpc.revokeKey,
      { workspaceId: scopeOf(ctx).workspaceId, keyId },
      ctx,
    );
    await this.revocations.announce(key.id);
    return key;
  }
}
