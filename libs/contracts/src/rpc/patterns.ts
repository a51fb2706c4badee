/** Message patterns of the TCP RPC between the gateway and the services. */
export const CampaignsRpc = {
  create: 'campaigns.create',
  list: 'campaigns.list',
  get: 'campaigns.get',
  update: 'campaigns.update',
  remove: 'campaigns.remove',
  transition: 'campaigns.transition',
  clone: 'campaigns.clone',
  listSteps: 'campaigns.steps.list',
  createStep: 'campaigns.steps.create',
  updateStep: 'campaigns.steps.update',
  removeStep: 'campaigns.steps.remove',
  listTasks: 'campaigns.tasks.list',
  createTask: 'campaigns.tasks.create',
  updateTask: 'campaigns.tasks.update',
  removeTask: 'campaigns.tasks.remove',
  listContent: 'campaigns.content.list',
  createContent: 'campaigns.content.create',
  updateContent: 'campaigns.content.update',
  removeContent: 'campaigns.content.remove',
  getContentMedia: 'campaigns.content.media',
  health: 'campaigns.health',
} as const;

export const AccountsRpc = {
  resolveKey: 'accounts.keys.resolve',
  createWorkspace: 'accounts.workspaces.create',
  listWorkspaces: 'accounts.workspaces.list',
  createKey: 'accounts.keys.create',
  listKeys: 'accounts.keys.list',
  revokeKey: 'accounts.keys.revoke',
} as const;

export const HealthRpc = {
  leads: 'leads.health',
  analytics: 'analytics.health',
  executor: 'executor.health',
} as const;

/** Redis pub/sub channel on which a revoked key is announced so gateways drop it from cache. */
export const KEY_REVOKED_CHANNEL = 'cp:api-keys:revoked';

/** Leads service patterns used by other services (the gateway's own ones live with the leads DTOs). */
export const LeadsRpc = {
  resolveAudience: 'leads.audience.resolve',
  checkSendable: 'leads.sendable.check',
} as const;

export const TemplatesRpc = {
  create: 'templates.create',
  list: 'templates.list',
  get: 'templates.get',
  update: 'templates.update',
  remove: 'templates.remove',
  versions: 'templates.versions',
  version: 'templates.version',
  preview: 'templates.preview',
} as const;
