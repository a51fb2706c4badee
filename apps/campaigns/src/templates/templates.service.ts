import {
  buildPagination,
  ConflictError,
  NotFoundError,
  Paged,
  parseSort,
  resolvePage,
  Scope,
  ValidationError,
} from '@app/common';
import {
  CreateTemplateDto,
  ListTemplatesQuery,
  PreviewTemplateDto,
  TemplatePreview,
  TemplateVariableDto,
  TemplateVersionView,
  TemplateView,
  UpdateTemplateDto,
} from '@app/contracts';
import { htmlToText, renderTemplate } from '@app/templating';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TemplateEntity, TemplateVersionEntity } from './template.entity';
import { toTemplateView, toVersionView } from './template.mapper';
import { checkTemplate, TemplateContent, withDeclaredFallbacks } from './template-rules';

const SORTABLE = { name: 't.name', createdAt: 't.created_at', updatedAt: 't.updated_at' };
const CONTENT_FIELDS = ['subject', 'bodyHtml', 'bodyText', 'variables'] as const;

/** Reusable templates with immutable versions; a campaign step can pin one version. */
@Injectable()
export class TemplatesService {
  constructor(private readonly ds: DataSource) {}

  async create(scope: Scope, dto: CreateTemplateDto): Promise<TemplateView> {
    const content = { ...dto, channel: dto.channel ?? 'email' };
    const check = this.validate(content);
    const id = await this.ds.transaction(async (m) => {
      const repo = m.getRepository(TemplateEntity);
      const t = await repo.save(
        repo.create({
          ...scope,
          name: dto.name,
          channel: content.channel,
          description: dto.description ?? null,
          tags: dto.tags ?? [],
          currentVersion: 1,
        }),
      );
      await this.writeVersion(m, t.id, 1, content);
      return t.id;
    });
    const { template, version } = await this.load(scope, id);
    return toTemplateView(template, version, check.warnings);
  }

  async list(scope: Scope, query: ListTemplatesQuery): Promise<Paged<TemplateView>> {
    const { limit, offset } = resolvePage(query);
    const sort = parseSort(query.sort, SORTABLE, '-updatedAt');
    const qb = this.ds
      .getRepository(TemplateEntity)
      .createQueryBuilder('t')
      .where('t.workspace_id = :workspaceId AND t.tenant_id = :tenantId', scope);
    if (query.channel) qb.andWhere('t.channel = :channel', { channel: query.channel });
    if (query.tag) qb.andWhere(':tag = ANY(t.tags)', { tag: query.tag });
    if (query.search)
      qb.andWhere("t.name ILIKE :q ESCAPE '\\'", {
        q: `%${query.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      });
    const [count, rows] = await Promise.all([
      qb.clone().select('count(*)::int', 'total').getRawOne<{ total: number }>(),
      qb
        .orderBy(sort.column, sort.direction)
        .addOrderBy('t.id')
        .offset(offset)
        .limit(limit)
        .getMany(),
    ]);
    const versions = rows.length
      ? await this.ds
          .getRepository(TemplateVersionEntity)
          .createQueryBuilder('v')
          .where(
            '(v.template_id, v.version) IN (SELECT id, current_version FROM campaigns.templates WHERE id = ANY(:ids))',
            {
              ids: rows.map((r) => r.id),
            },
          )
          .getMany()
      : [];
    const byId = new Map(versions.map((v) => [v.templateId, v]));
    const items = rows.map((t) => {
      const v = byId.get(t.id)!;
      return toTemplateView(
        t,
        v,
        checkTemplate({ channel: t.channel, ...toVersionView(v) }).warnings,
      );
    });
    return { items, pagination: buildPagination(count?.total ?? 0, limit, offset) };
  }

  async get(scope: Scope, id: string): Promise<TemplateView> {
    const { template, version } = await this.load(scope, id);
    return toTemplateView(
      template,
      version,
      checkTemplate({ channel: template.channel, ...toVersionView(version) }).warnings,
    );
  }

  /** Content changes write a new version; name, description and tags change in place. */
  async update(
    scope: Scope,
    id: string,
    dto: UpdateTemplateDto,
  ): Promise<TemplateView & { versionCreated: boolean }> {
    const { template, version } = await this.load(scope, id);
    const contentChanged = CONTENT_FIELDS.some((f) => dto[f] !== undefined);
    const current = toVersionView(version);
    const next: TemplateContent = {
      channel: dto.channel ?? template.channel,
      subject: dto.subject ?? current.subject,
      bodyHtml: dto.bodyHtml ?? current.bodyHtml,
      // A text part generated from the old HTML is regenerated from the new one.
      bodyText:
        dto.bodyText ??
        (dto.bodyHtml !== undefined && current.textGenerated ? null : current.bodyText),
      variables: dto.variables ?? current.variables,
    };
    const check = this.validate(next);
    await this.ds.transaction(async (m) => {
      const newVersion =
        contentChanged || dto.channel !== undefined
          ? template.currentVersion + 1
          : template.currentVersion;
      if (newVersion !== template.currentVersion) await this.writeVersion(m, id, newVersion, next);
      await m.getRepository(TemplateEntity).update(
        { id },
        {
          name: dto.name ?? template.name,
          channel: next.channel,
          description: dto.description ?? template.description,
          tags: dto.tags ?? template.tags,
          currentVersion: newVersion,
        },
      );
    });
    const loaded = await this.load(scope, id);
    return {
      ...toTemplateView(loaded.template, loaded.version, check.warnings),
      versionCreated: loaded.version.version !== version.version,
    };
  }

  async remove(scope: Scope, id: string): Promise<{ id: string; message: string }> {
    await this.load(scope, id);
    const users: Array<{ id: string; name: string; status: string }> = await this.ds.query(
      `SELECT DISTINCT c.id, c.name, c.status FROM campaigns.steps s JOIN campaigns.campaigns c ON c.id = s.campaign_id
        WHERE s.template_id = $1
           OR s.variants @> jsonb_build_array(jsonb_build_object('templateId', $1::text))
        ORDER BY c.name`,
      [id],
    );
    if (users.length) {
      throw new ConflictError(
        'TEMPLATE_IN_USE',
        `Template is used by ${users.length} campaign(s): ${users.map((c) => `"${c.name}"`).join(', ')}`,
        users.map((c) => ({
          field: 'campaigns',
          message: `used by ${c.name} (${c.status})`,
          campaignId: c.id,
          name: c.name,
        })),
      );
    }
    await this.ds.getRepository(TemplateEntity).delete({ id });
    return { id, message: 'Template deleted successfully' };
  }

  async versions(scope: Scope, id: string): Promise<TemplateVersionView[]> {
    await this.load(scope, id);
    const rows = await this.ds
      .getRepository(TemplateVersionEntity)
      .find({ where: { templateId: id }, order: { version: 'DESC' } });
    return rows.map(toVersionView);
  }

  async version(scope: Scope, id: string, version: number): Promise<TemplateVersionView> {
    return toVersionView((await this.load(scope, id, version)).version);
  }

  /** Personalisation as the executor applies it: fallbacks, HTML escaping, one-line subject. */
  async preview(scope: Scope, id: string, dto: PreviewTemplateDto): Promise<TemplatePreview> {
    const { version } = await this.load(scope, id, dto.version);
    const vars = dto.data ?? {};
    const variables = version.variables as TemplateVariableDto[];
    const fill = (text: string | null, mode: 'html' | 'text' | 'header') =>
      text === null ? null : renderTemplate(withDeclaredFallbacks(text, variables), vars, mode);
    return {
      templateId: id,
      version: version.version,
      subject: fill(version.subject, 'header') ?? '',
      html: fill(version.bodyHtml, 'html'),
      text: fill(version.bodyText, 'text'),
    };
  }

  /** A template and one of its versions (the current one by default), in the caller's scope. */
  async load(
    scope: Scope,
    id: string,
    version?: number,
  ): Promise<{ template: TemplateEntity; version: TemplateVersionEntity }> {
    const template = await this.ds.getRepository(TemplateEntity).findOneBy({ id, ...scope });
    if (!template) throw new NotFoundError('Template', id);
    const v = await this.ds
      .getRepository(TemplateVersionEntity)
      .findOneBy({ templateId: id, version: version ?? template.currentVersion });
    if (!v) throw new NotFoundError('Template version', `${id}@${version}`);
    return { template, version: v };
  }

  private validate(content: TemplateContent) {
    const check = checkTemplate(content);
    if (check.problems.length) throw new ValidationError('Invalid template', check.problems);
    return check;
  }

  private async writeVersion(
    m: EntityManager,
    templateId: string,
    version: number,
    c: TemplateContent,
  ): Promise<void> {
    const textGenerated = !c.bodyText && Boolean(c.bodyHtml);
    await m.getRepository(TemplateVersionEntity).insert({
      templateId,
      version,
      subject: c.subject ?? null,
      bodyHtml: c.bodyHtml ?? null,
      bodyText: c.bodyText || (c.bodyHtml ? htmlToText(c.bodyHtml) : null),
      textGenerated,
      variables: (c.variables ?? []) as object[],
    });
  }
}
