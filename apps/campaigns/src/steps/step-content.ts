import { Scope, ValidationError } from '@app/common';
import { StepView, TemplateVariableDto } from '@app/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TemplateVersionEntity } from '../templates/template.entity';
import { withDeclaredFallbacks } from '../templates/template-rules';
import { StepEntity } from './step.entity';
import { toStepView } from './step.mapper';

/**
 * Steps that point at a template take its content (the pinned version, else the current one)
 * wherever they have none of their own, so every reader of a campaign — the API and the
 * executor alike — sees exactly what will be sent.
 */
@Injectable()
export class StepContent {
  constructor(private readonly ds: DataSource) {}

  async views(steps: StepEntity[]): Promise<StepView[]> {
    const refs = steps.filter((s) => s.templateId);
    if (!refs.length) return steps.map(toStepView);
    const versions: Array<TemplateVersionEntity & { template_id: string }> = await this.ds.query(
      `SELECT v.template_id, v.version, v.subject, v.body_html AS "bodyHtml", v.body_text AS "bodyText", v.variables
         FROM campaigns.template_versions v
         JOIN campaigns.templates t ON t.id = v.template_id
         JOIN unnest($1::uuid[], $2::int[]) AS r(template_id, version)
           ON r.template_id = v.template_id AND v.version = COALESCE(r.version, t.current_version)`,
      [refs.map((s) => s.templateId), refs.map((s) => s.templateVersion)],
    );
    const byRef = new Map(versions.map((v) => [v.template_id, v]));
    return steps.map((s) => {
      const view = toStepView(s);
      const v = s.templateId ? byRef.get(s.templateId) : undefined;
      if (!v || s.subject || s.bodyHtml || s.bodyText) return view;
      const vars = v.variables as TemplateVariableDto[];
      const fill = (text: string | null) =>
        text === null ? null : withDeclaredFallbacks(text, vars);
      return {
        ...view,
        templateVersion: s.templateVersion ?? v.version,
        contentSource: 'template' as const,
        subject: fill(v.subject),
        bodyHtml: fill(v.bodyHtml),
        bodyText: fill(v.bodyText),
      };
    });
  }

  /** A step may reference only a template (and version) of its own workspace. */
  async assertTemplate(
    m: EntityManager,
    scope: Scope,
    templateId: string,
    version?: number | null,
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
        { field: version ? 'templateVersion' : 'templateId', message: what },
      ]);
    }
  }

  /** At launch, unpinned template steps are pinned, so later edits don't change a running campaign. */
  async pinVersions(m: EntityManager, campaignId: string): Promise<void> {
    await m.query(
      `UPDATE campaigns.steps s SET template_version = t.current_version
         FROM campaigns.templates t
        WHERE s.campaign_id = $1 AND s.template_id = t.id AND s.template_version IS NULL`,
      [campaignId],
    );
  }
}
