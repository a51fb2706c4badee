import { ImportJobView } from '@app/contracts';
import { ImportJobRow } from './import-job';

export function toImportView(j: ImportJobRow, now = new Date()): ImportJobView {
  const fileBytes = Number(j.file_bytes);
  const bytesDone = Number(j.bytes_done);
  const end = j.finished_at ?? now;
  const seconds = j.started_at
    ? Math.max((end.getTime() - j.started_at.getTime()) / 1000, 0.001)
    : null;
  const rowsPerSecond = seconds && j.rows_done ? Math.round(j.rows_done / seconds) : null;
  const running = j.status === 'running' || j.status === 'queued';
  const etaSeconds =
    running && seconds && bytesDone
      ? Math.round(((fileBytes - bytesDone) / bytesDone) * seconds)
      : running
        ? null
        : 0;
  const base = `/api/v1/leads/imports/${j.id}`;
  const header = (j.mapping.header ?? []) as unknown as string[];
  const targets = (j.mapping.targets ?? []) as unknown as string[];
  return {
    id: j.id,
    status: j.status,
    campaignId: j.campaign_id,
    fileName: j.file_name,
    fileBytes,
    duplicatePolicy: j.duplicate_policy,
    triggerCampaigns: j.trigger_campaigns,
    mapping: Object.fromEntries(header.map((h, i) => [h, targets[i]])),
    progress: {
      rowsDone: j.rows_done,
      bytesDone,
      percent:
        j.status === 'completed' ? 100 : fileBytes ? Math.floor((bytesDone / fileBytes) * 100) : 0,
      rowsPerSecond,
      etaSeconds,
    },
    result: { created: j.created, updated: j.updated, skipped: j.skipped, rejected: j.rejected },
    error: j.error,
    startedAt: j.started_at?.toISOString() ?? null,
    finishedAt: j.finished_at?.toISOString() ?? null,
    createdAt: j.created_at.toISOString(),
    links: {
      self: base,
      rejections: `${base}/rejections`,
      rejectionsCsv: `${base}/rejections.csv`,
    },
  };
}
