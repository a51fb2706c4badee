/** Message patterns the gateway uses to reach the executor (TCP RPC). */
export const ExecutorRpc = {
  progress: 'executor.progress',
  /** Contacts enrolled per launched campaign ({campaignIds} → {id: count}; campaign views' totalCount). */
  enrolledCounts: 'executor.runs.enrolled',
  selectAbWinner: 'executor.ab.select-winner',
  getSendingLimits: 'executor.limits.get',
  updateSendingLimits: 'executor.limits.update',
  /** SSRF check of an outbound URL before it is saved (HTTP channel steps). */
  checkOutboundUrl: 'executor.outbound.check-url',
  trackOpen: 'executor.tracking.open',
  trackClick: 'executor.tracking.click',
  unsubscribe: 'executor.tracking.unsubscribe',
  inbound: 'executor.inbound',
  listWebhooks: 'executor.webhooks.list',
  createWebhook: 'executor.webhooks.create',
  getWebhook: 'executor.webhooks.get',
  updateWebhook: 'executor.webhooks.update',
  removeWebhook: 'executor.webhooks.remove',
  rotateWebhookSecret: 'executor.webhooks.rotate',
  webhookDeliveries: 'executor.webhooks.deliveries',
  listChannelAccounts: 'executor.channelAccounts.list',
  createChannelAccount: 'executor.channelAccounts.create',
  getChannelAccount: 'executor.channelAccounts.get',
  updateChannelAccount: 'executor.channelAccounts.update',
  removeChannelAccount: 'executor.channelAccounts.remove',
  verifyChannelAccount: 'executor.channelAccounts.verify',
} as const;
