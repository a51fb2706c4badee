import { Scope, ValidationError } from '@app/common';
import { StepView, TemplateVariableDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TemplateVersionEntity } from '../templates/template.entity';
import { withDeclaredFallbacks } from '../templates/template-rules';
import { StepEntity } from './step.entity';
import { toStepView } from './step.mapper';

type VersionRow = Pick<TemplateVersionEntity, 'version' | 'subject' | 'bodyHtml' | 'bodyText'> & {
  template_id: string;
  variables: TemplateVariableDto[];
};

/** A template reference held by a step or one of its variants. */
interface TemplateRef {
  templateId?: string | null;
  templateVersion?: number | null;
}

const refKey = (templateId: string, version: number | null | undefined) =>
  `${templateId}@${version ?? 'current'}`;

/**
 * Steps and A/B variants that point at a template take its content (the pinned version, else
 * the current one) wherever they have none of their own, so every reader of a campaign — the
 * API and the executor alike — sees exactly what will be sent.
 */
@Injectable()
export class StepContent {
  constructor(private readonly ds: DataSource) {}

  async views(steps: StepEntity[]): Promise<StepView[]> {
    const refs: TemplateRef[] = steps.flatMap((s) => [
      s,
      ...(s.variants ?? []).filter((v) => v.templateId),
    ]);
    const versions = await this.versions(refs.filter((r) => r.templateId));
    return steps.map((s) => {
      const view = toStepView(s);
      view.variants = (s.variants ?? []).map((v) => {
        const tv = v.templateId ? versions.get(refKey(v.templateId, v.templateVersion)) : undefined;
        if (!tv || v.subject || v.bodyHtml || v.bodyText) return v;
        const filled = fillFrom(tv);
        return {
          ...v,
          templateVersion: v.templateVersion ?? tv.version,
          contentSource: 'template' as const,
          ...(filled.subject !== null && { subject: filled.subject }),
          ...(filled.bodyHtml !== null && { bodyHtml: filled.bodyHtml }),
          ...(filled.bodyText !== null && { bodyText: filled.bodyText }),
        };
      });
      const tv = s.templateId ? versions.get(refKey(s.templateId, s.templateVersion)) : undefined;
      if (!tv || s.subject || s.bodyHtml || s.bodyText) return view;
      return {
        ...view,
        templateVersion: s.templateVersion ?? tv.version,
        contentSource: 'template' as const,
        ...fillFrom(tv),
      };
    });
  }

  /** The referenced template versions (pinned, else current), keyed by refKey. */
  private async versions(refs: TemplateRef[]): Promise<Map<string, VersionRow>> {
    if (!refs.length) return new Map();
    const rows: Array<VersionRow & { requested: number | null }> = await this.ds.query(
      `SELECT v.template_id, r.version AS requested, v.version, v.subject, v.body_html AS "bodyHtml",
              v.body_text AS "bodyText", v.variables
         FROM (SELECT DISTINCT * FROM unnest($1::uuid[], $2::int[]) AS u(template_id, version)) r
         JOIN campaigns.templates t ON t.id = r.template_id
         JOIN campaigns.template_versions v
           ON v.template_id = r.template_id AND v.version = COALESCE(r.version, t.current_version)`,
      [refs.map((r) => r.templateId), refs.map((r) => r.templateVersion ?? null)],
    );
    return new Map(rows.map((row) => [refKey(row.template_id, row.requested), row]));
  }

  /** A step may reference only a template (and version) of its own workspace. */
  async assertTemplate(
    m: EntityManager,
    scope: Scope,
    templateId: string,
    version?: number | null,
    field = '',
  ): Promise<void> {
    const rows = await m.query(
      `SELECT 1 FROM campaigns.templates t JOIN campaigns.template_versions v ON v.template_id = t.id
        WHERE t.id = $1 AND t.tenant_id = $2 AND t.workspace_id = $3 AND v.version = COALESCE($4, t.current_version)`,
      [templateId, scope.tenantId, scope.workspaceId, version ?? null],
    );
    if (!rows.length) {
      const what = version
        ? `template ${templateId} has no version ${version}`
        : `template ${templateId} does not exist`;
      throw new ValidationError(`Invalid step: ${what}`, [
        { field: `${field}${version ? 'templateVersion' : 'templateId'}`, message: what },
      ]);
    }
  }

  /** Every template a step and its variants reference must be one of the workspace's. */
  async assertTemplates(
    m: EntityManager,
    scope: Scope,
    step: TemplateRef & { variants?: TemplateRef[] | null },
  ): Promise<void> {
    if (step.templateId) await this.assertTemplate(m, scope, step.templateId, step.templateVersion);
    for (const [i, v] of (step.variants ?? []).entries()) {
      if (v.templateId)
        await this.assertTemplate(m, scope, v.templateId, v.templateVersion, `variants[${i}].`);
    }
  }

  /**
   * At launch, unpinned template references of steps and variants are pinned to the current
   * version, so later edits don't change a running campaign.
   */
  async pinVersions(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(
      `UPDATE campaigns.steps s SET template_version = t.current_version
         FROM campaigns.templates t
        WHERE s.campaign_id = $1 AND s.template_id = t.id AND s.template_version IS NULL`,
      [campaignId],
    );
    await m.query(
      `UPDATE campaigns.steps s
          SET variants = (
            SELECT jsonb_agg(
                     CASE WHEN v ? 'templateId' AND NOT v ? 'templateVersion'
                          THEN v || jsonb_build_object('templateVersion', t.current_version)
                          ELSE v END
                     ORDER BY ord)
              FROM jsonb_array_elements(s.variants) WITH ORDINALITY AS e(v, ord)
              LEFT JOIN campaigns.templates t ON t.id = (v->>'templateId')::uuid)
        WHERE s.campaign_id = $1
          AND EXISTS (SELECT 1 FROM jsonb_array_elements(s.variants) v WHERE v ? 'templateId')`,
      [campaignId],
    );
  }
}

/** A template version's content with its declared fallbacks written into the placeholders. */
function fillFrom(v: VersionRow): {
  subject: string | null;
  bodyHtml: string | null;
  bodyText: string | null;
} {
  const fill = (text: string | null) =>
    text === null ? null : withDeclaredFallbacks(text, v.variables);
  return { subject: fill(v.subject), bodyHtml: fill(v.bodyHtml), bodyText: fill(v.bodyText) };
}
