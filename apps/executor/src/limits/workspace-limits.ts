import { RpcController, RpcRequest, Scope, scopeOf, SingleFlight } from '@app/common';
import { ExecutorRpc, SendingLimitsView, UpdateSendingLimitsDto } from '@app/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv } from '../config';

/** How long a replica keeps a workspace's cap before reading it again. */
const CACHE_MS = 5000;

/**
 * A workspace's own sending limits (today: the per-contact frequency cap), over the
 * deployment default FREQUENCY_CAP_PER_DAY. Sends read it through a 5 s cache per replica, so
 * a change applies to every replica within 5 s.
 */
@Injectable()
export class WorkspaceLimits {
  private readonly cache = new Map<string, { at: number; cap: number | null }>();
  private readonly refills = new SingleFlight<string, number | null>();

  constructor(
    private readonly ds: DataSource,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
  ) {}

  /** The cap in force for a workspace (0 = none). */
  async frequencyCap(workspaceId: string): Promise<number> {
    const hit = this.cache.get(workspaceId);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.cap ?? this.env.FREQUENCY_CAP_PER_DAY;
    // The sends that find the entry expired together share one read.
    const cap = await this.refills.run(workspaceId, async () => {
      const rows = await this.ds.query(
        'SELECT frequency_cap_per_day FROM executor.workspace_limits WHERE workspace_id = $1',
        [workspaceId],
      );
      const read: number | null = rows[0]?.frequency_cap_per_day ?? null;
      this.cache.set(workspaceId, { at: Date.now(), cap: read });
      return read;
    });
    return cap ?? this.env.FREQUENCY_CAP_PER_DAY;
  }

  async get(scope: Scope): Promise<SendingLimitsView> {
    const rows = await this.ds.query(
      `SELECT frequency_cap_per_day FROM executor.workspace_limits
        WHERE workspace_id = $1 AND tenant_id = $2`,
      [scope.workspaceId, scope.tenantId],
    );
    return this.view(rows[0]?.frequency_cap_per_day ?? null);
  }

  async update(scope: Scope, dto: UpdateSendingLimitsDto): Promise<SendingLimitsView> {
    await this.ds.query(
      `INSERT INTO executor.workspace_limits (workspace_id, tenant_id, frequency_cap_per_day)
       VALUES ($1, $2, $3)
       ON CONFLICT (workspace_id) DO UPDATE SET frequency_cap_per_day = $3, updated_at = now()
         WHERE executor.workspace_limits.tenant_id = $2`,
      [scope.workspaceId, scope.tenantId, dto.frequencyCapPerDay],
    );
    this.cache.delete(scope.workspaceId);
    return this.view(dto.frequencyCapPerDay);
  }

  private view(cap: number | null): SendingLimitsView {
    return {
      frequencyCapPerDay: cap,
      defaultFrequencyCapPerDay: this.env.FREQUENCY_CAP_PER_DAY,
      effectiveFrequencyCapPerDay: cap ?? this.env.FREQUENCY_CAP_PER_DAY,
    };
  }
}

@RpcController()
export class WorkspaceLimitsController {
  constructor(private readonly limits: WorkspaceLimits) {}

  @MessagePattern(ExecutorRpc.getSendingLimits)
  get(@Payload() req: RpcRequest) {
    return this.limits.get(scopeOf(req.ctx));
  }

  @MessagePattern(ExecutorRpc.updateSendingLimits)
  update(@Payload() req: RpcRequest<UpdateSendingLimitsDto>) {
    return this.limits.update(scopeOf(req.ctx), req.data);
  }
}
