import { emailHash } from '../leads/email';
import { Issue } from './import-writer';

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
