import { emailHash } from '../leads/email';
import { Issue } from './import-job';

/** A rejected row; its address (if any) is hashed so that erasure can find and delete it. */
export function rejectedIssue(
  line: number,
  reason: string,
  data: Record<string, string>,
  email?: string,
  workspaceId?: string,
): Issue {
  return {
    line,
    outcome: 'rejected',
    reason,
    emailHash: email && workspaceId ? emailHash(workspaceId, email) : null,
    data,
  };
}

/** The row's cells under the file's own column names (extra cells get column<n>). */
export function rowData(header: string[], record: string[]): Record<string, string> {
  const data: Record<string, string> = {};
  // jsonb cannot hold NUL: shown as U+FFFD in the report (such a row is rejected anyway).
  record.forEach(
    (v, i) =>
      (data[header[i] ?? `column${i + 1}`] = v.includes('\0') ? v.replace(/\0/g, '\uFFFD') : v),
  );
  return data;
}
