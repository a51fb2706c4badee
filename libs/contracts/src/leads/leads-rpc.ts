/** Patterns the gateway uses to reach the leads service (others use LeadsRpc in rpc/patterns). */
export const LeadsApiRpc = {
  capture: 'leads.capture',
  list: 'leads.list',
  get: 'leads.get',
  update: 'leads.update',
  remove: 'leads.remove',
  erase: 'leads.erase',
  history: 'leads.history',
  exportOpen: 'leads.export.open',
  createImport: 'leads.imports.create',
  getImport: 'leads.imports.get',
  listImports: 'leads.imports.list',
  importIssues: 'leads.imports.issues',
  importIssuesCsv: 'leads.imports.issues-csv',
  listSegments: 'leads.segments.list',
  createSegment: 'leads.segments.create',
  getSegment: 'leads.segments.get',
  updateSegment: 'leads.segments.update',
  removeSegment: 'leads.segments.remove',
  countSegment: 'leads.segments.count',
  sampleSegment: 'leads.segments.sample',
  segmentFieldCoverage: 'leads.segments.fieldCoverage',
  addMembers: 'leads.segments.members.add',
  removeMember: 'leads.segments.members.remove',
  segmentFields: 'leads.segments.fields',
  listSuppressions: 'leads.suppressions.list',
  addSuppression: 'leads.suppressions.add',
  removeSuppression: 'leads.suppressions.remove',
  getConsentPolicy: 'leads.consent-policy.get',
  setConsentPolicy: 'leads.consent-policy.set',
} as const;

/** Input of `createImport`: the gateway has spooled the upload to LEADS_IMPORT_DIR. */
export interface CreateImportInput {
  filePath: string;
  fileName: string;
  fileBytes: number;
  campaignId?: string;
  duplicatePolicy?: string;
  mapping?: Record<string, string>;
  source?: string;
  /** Emit lead.captured for every created lead (triggered campaigns); default false. */
  triggerCampaigns?: boolean;
}
