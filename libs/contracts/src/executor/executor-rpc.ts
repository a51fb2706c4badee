/** Message patterns the gateway uses to reach the executor (TCP RPC). */
export const ExecutorRpc = {
  progress: 'executor.progress',
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
} as const;
