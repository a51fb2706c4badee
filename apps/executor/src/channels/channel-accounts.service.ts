import {
  ConflictError,
  DomainError,
  NotFoundError,
  Scope,
  SingleFlight,
  ValidationError,
} from '@app/common';
import {
  ChannelAccountCheck,
  ChannelAccountView,
  CreateChannelAccountDto,
  UpdateChannelAccountDto,
} from '@app/contracts';
import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { EXECUTOR_ENV, ExecutorEnv, outboundPolicy } from '../config';
import { SecretBox } from '../webhooks/secret-box';
import { assertDeliverable } from '../webhooks/ssrf-guard';
import { AccountChannel, ChannelThreads } from './channel-threads';

interface AccountRow {
  id: string;
  workspace_id: string;
  name: string;
  kind: string;
  host: string;
  port: number;
  secure: boolean;
  username: string | null;
  password_sealed: string | null;
  rate_per_second: number;
  is_default: boolean;
  created_at: Date;
  updated_at: Date;
}

/** An account ready to send through: its channel (pooled connections) and its own rate. */
export interface SendingAccount {
  id: string;
  channel: AccountChannel;
  ratePerSecond: number;
}

const COLUMNS =
  'id, workspace_id, name, kind, host, port, secure, username, password_sealed, rate_per_second, is_default, created_at, updated_at';
/** How long a replica trusts what it loaded; an edit elsewhere reaches it within this time. */
const CACHE_MS = 5000;
/** Runs that have ended; an account named by any other run cannot be deleted. */
const ENDED_RUN_STATUSES = ['completed', 'cancelled', 'failed'];

const toView = (r: AccountRow): ChannelAccountView => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  host: r.host,
  port: r.port,
  secure: r.secure,
  username: r.username,
  hasPassword: r.password_sealed !== null,
  ratePerSecond: r.rate_per_second,
  isDefault: r.is_default,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/**
 * Channel accounts of a workspace: SMTP servers with their own credentials and rate. The
 * password must be recoverable to log in, so it is sealed (AES-256-GCM) at rest and never
 * returned or logged. Sending replicas keep one pooled transport per account, rebuilt when the
 * account changes.
 */
@Injectable()
export class ChannelAccountsService implements OnApplicationShutdown {
  private readonly box: SecretBox;
  private readonly accounts = new Map<
    string,
    { row: AccountRow; account: SendingAccount; at: number }
  >();
  private readonly defaults = new Map<string, { id: string | null; at: number }>();
  /** One refill per account or workspace at a time: the sends that find it expired share it. */
  private readonly refills = new SingleFlight<
    string,
    SendingAccount | null | 'missing' | 'blocked'
  >();
  private readonly defaultRefills = new SingleFlight<string, string | null>();

  constructor(
    private readonly ds: DataSource,
    @Inject(EXECUTOR_ENV) private readonly env: ExecutorEnv,
    private readonly threads: ChannelThreads,
  ) {
    this.box = new SecretBox(env.WEBHOOK_SECRET_KEY);
  }

  async list(scope: Scope): Promise<ChannelAccountView[]> {
    const rows: AccountRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM executor.channel_accounts
        WHERE tenant_id = $1 AND workspace_id = $2 ORDER BY created_at, id`,
      [scope.tenantId, scope.workspaceId],
    );
    return rows.map(toView);
  }

  async get(scope: Scope, id: string): Promise<ChannelAccountView> {
    return toView(await this.find(scope, id));
  }

  async create(scope: Scope, dto: CreateChannelAccountDto): Promise<ChannelAccountView> {
    await this.checkHost(dto.host);
    const row = await this.ds.transaction(async (m) => {
      if (dto.isDefault) await this.clearDefault(m.query.bind(m), scope.workspaceId);
      const [created]: AccountRow[] = await m.query(
        `INSERT INTO executor.channel_accounts
           (tenant_id, workspace_id, name, kind, host, port, secure, username, password_sealed,
            rate_per_second, is_default)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${COLUMNS}`,
        [
          scope.tenantId,
          scope.workspaceId,
          dto.name,
          dto.kind ?? 'smtp',
          dto.host,
          dto.port,
          dto.secure ?? false,
          dto.username ?? null,
          dto.password ? this.box.seal(dto.password) : null,
          dto.ratePerSecond ?? 0,
          dto.isDefault ?? false,
        ],
      );
      return created;
    });
    this.defaults.delete(scope.workspaceId);
    return toView(row);
  }

  async update(
    scope: Scope,
    id: string,
    dto: UpdateChannelAccountDto,
  ): Promise<ChannelAccountView> {
    const current = await this.find(scope, id);
    if (dto.host !== undefined && dto.host !== current.host) await this.checkHost(dto.host);
    const password =
      dto.password === undefined
        ? current.password_sealed
        : dto.password === null || dto.password === ''
          ? null
          : this.box.seal(dto.password);
    const row = await this.ds.transaction(async (m) => {
      if (dto.isDefault) await this.clearDefault(m.query.bind(m), scope.workspaceId, id);
      const [[updated]]: AccountRow[][] = await m.query(
        `UPDATE executor.channel_accounts
            SET name = $3, host = $4, port = $5, secure = $6, username = $7, password_sealed = $8,
                rate_per_second = $9, is_default = $10, updated_at = clock_timestamp()
          WHERE id = $1 AND workspace_id = $2 RETURNING ${COLUMNS}`,
        [
          id,
          scope.workspaceId,
          dto.name ?? current.name,
          dto.host ?? current.host,
          dto.port ?? current.port,
          dto.secure ?? current.secure,
          dto.username === undefined ? current.username : dto.username || null,
          password,
          dto.ratePerSecond ?? current.rate_per_second,
          dto.isDefault ?? current.is_default,
        ],
      );
      return updated;
    });
    this.forget(id, scope.workspaceId);
    return toView(row);
  }

  async remove(scope: Scope, id: string): Promise<{ id: string; message: string }> {
    await this.find(scope, id);
    const users: Array<{ campaign_id: string; name: string; status: string }> = await this.ds.query(
      `SELECT campaign_id, snapshot->>'name' AS name, status FROM executor.campaign_runs
        WHERE workspace_id = $1 AND snapshot->'settings'->>'channelAccountId' = $2
          AND NOT status = ANY($3) ORDER BY 2`,
      [scope.workspaceId, id, ENDED_RUN_STATUSES],
    );
    if (users.length) {
      throw new ConflictError(
        'CHANNEL_ACCOUNT_IN_USE',
        `Channel account is used by ${users.length} running campaign(s): ${users.map((u) => `"${u.name}"`).join(', ')}`,
        users.map((u) => ({
          field: 'campaigns',
          message: `used by ${u.name} (${u.status})`,
          campaignId: u.campaign_id,
        })),
      );
    }
    await this.ds.query(
      'DELETE FROM executor.channel_accounts WHERE id = $1 AND workspace_id = $2',
      [id, scope.workspaceId],
    );
    this.forget(id, scope.workspaceId);
    return { id, message: 'Channel account deleted' };
  }

  /** Connects and logs in with the account's credentials, sending nothing. */
  async verify(scope: Scope, id: string): Promise<ChannelAccountCheck> {
    const row = await this.find(scope, id);
    await this.checkHost(row.host);
    const channel = this.channelFor(row);
    const started = Date.now();
    try {
      await channel.verify();
      return { id, ok: true, error: null, tookMs: Date.now() - started };
    } catch (err) {
      const e = err as { response?: string; message: string };
      return { id, ok: false, error: e.response ?? e.message, tookMs: Date.now() - started };
    } finally {
      await channel.close();
    }
  }

  /**
   * The account a send of this workspace goes through: the one the campaign names, else the
   * workspace default, else null (the deployment's SMTP server). A named account that no
   * longer exists is 'missing'; one whose host now resolves to a refused address is 'blocked'.
   */
  async forSend(
    workspaceId: string,
    accountId: string | undefined,
  ): Promise<SendingAccount | null | 'missing' | 'blocked'> {
    const id = accountId ?? (await this.defaultOf(workspaceId));
    if (!id) return null;
    const cached = this.accounts.get(id);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.account;
    // Concurrent refills would each close the cached transport and build their own.
    return this.refills.run(`${workspaceId}:${id}`, () => this.refill(workspaceId, id));
  }

  private async refill(
    workspaceId: string,
    id: string,
  ): Promise<SendingAccount | null | 'missing' | 'blocked'> {
    const cached = this.accounts.get(id);
    const [row]: AccountRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM executor.channel_accounts WHERE id = $1 AND workspace_id = $2`,
      [id, workspaceId],
    );
    if (!row) {
      this.forget(id, workspaceId);
      return 'missing';
    }
    if (cached && cached.row.updated_at.getTime() === row.updated_at.getTime()) {
      cached.at = Date.now();
      return cached.account;
    }
    if (cached) await cached.account.channel.close();
    // The host is checked again whenever a transport is built: its DNS may have changed.
    try {
      await this.checkHost(row.host);
    } catch {
      this.forget(id, workspaceId);
      return 'blocked';
    }
    const account = { id, channel: this.channelFor(row), ratePerSecond: row.rate_per_second };
    this.accounts.set(id, { row, account, at: Date.now() });
    return account;
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.accounts.values()].map((a) => a.account.channel.close()));
    this.accounts.clear();
  }

  private async defaultOf(workspaceId: string): Promise<string | null> {
    const cached = this.defaults.get(workspaceId);
    if (cached && Date.now() - cached.at < CACHE_MS) return cached.id;
    return this.defaultRefills.run(workspaceId, async () => {
      const [row]: Array<{ id: string }> = await this.ds.query(
        'SELECT id FROM executor.channel_accounts WHERE workspace_id = $1 AND is_default',
        [workspaceId],
      );
      this.defaults.set(workspaceId, { id: row?.id ?? null, at: Date.now() });
      return row?.id ?? null;
    });
  }

  /**
   * User-given SMTP hosts get the same SSRF guard as webhooks: private, loopback and link-local
   * addresses only when OUTBOUND_ALLOWLIST lists them, metadata addresses never.
   */
  private async checkHost(host: string): Promise<void> {
    try {
      await assertDeliverable(`smtp://${host}`, outboundPolicy(this.env));
    } catch (err) {
      if ((err as { code?: string }).code === 'ENOTFOUND')
        throw new ValidationError(`SMTP host does not resolve: ${host}`, [
          { field: 'host', message: 'host does not resolve' },
        ]);
      throw new DomainError('SMTP_HOST_BLOCKED', (err as Error).message, 400, [
        { field: 'host', message: (err as Error).message },
      ]);
    }
  }

  private channelFor(row: AccountRow): AccountChannel {
    return this.threads.open({
      kind: 'smtp',
      account: {
        host: row.host,
        port: row.port,
        secure: row.secure,
        user: row.username ?? undefined,
        pass: row.password_sealed ? this.box.open(row.password_sealed) : undefined,
        poolSize: this.env.SMTP_POOL_SIZE,
        timeoutMs: this.env.SEND_TIMEOUT_MS,
      },
    });
  }

  private forget(id: string, workspaceId: string): void {
    const cached = this.accounts.get(id);
    this.accounts.delete(id);
    this.defaults.delete(workspaceId);
    if (cached) void cached.account.channel.close();
  }

  private async clearDefault(
    query: (sql: string, params: unknown[]) => Promise<unknown>,
    workspaceId: string,
    except: string | null = null,
  ): Promise<void> {
    await query(
      `UPDATE executor.channel_accounts SET is_default = false, updated_at = clock_timestamp()
        WHERE workspace_id = $1 AND is_default AND id IS DISTINCT FROM $2`,
      [workspaceId, except],
    );
  }

  private async find(scope: Scope, id: string): Promise<AccountRow> {
    const [row]: AccountRow[] = await this.ds.query(
      `SELECT ${COLUMNS} FROM executor.channel_accounts
        WHERE id = $1 AND tenant_id = $2 AND workspace_id = $3`,
      [id, scope.tenantId, scope.workspaceId],
    );
    if (!row) throw new NotFoundError('Channel account', id);
    return row;
  }
}
