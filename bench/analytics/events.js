'use strict';
// Synthetic executor output for the bench: envelopes spread over campaigns and days in time
// order, each campaign sending in one hour of each day (as real sends cluster), two steps, A/B
// variants on the first, three segments. The mix of types is fixed so the rollups can be checked exactly.
const { randomUUID } = require('crypto');

const MIX = [
  ['message.events', 'message.sent', 35],
  ['message.events', 'message.delivered', 34],
  ['message.events', 'message.bounced', 1],
  ['engagement.events', 'engagement.opened', 20],
  ['engagement.events', 'engagement.clicked', 8],
  ['engagement.events', 'engagement.converted', 2],
];
const WHEEL = MIX.flatMap(([topic, type, n]) => Array.from({ length: n }, () => [topic, type]));

function makeGenerator({ tenantId, workspaceId, campaigns, days, total }) {
  const segments = [randomUUID(), randomUUID(), randomUUID()];
  const steps = campaigns.map(() => [randomUUID(), randomUUID()]);
  const dayMs = 86400_000;
  const firstDay = Math.floor(Date.now() / dayMs) * dayMs - days * dayMs;
  return function event(i, campaignIndex = i % campaigns.length, at) {
    const [topic, type] = WHEEL[(i * 7919) % WHEEL.length];
    const c = campaignIndex;
    // Chronological, as a live stream is: the days advance with the event index.
    const day = Math.min(days - 1, Math.floor((i * days) / total));
    const step = i % 2;
    const time =
      at ?? new Date(firstDay + day * dayMs + (8 + (c % 12)) * 3600_000 + (i % 3600) * 1000);
    const data = {
      deliveryId: randomUUID(),
      enrollmentId: randomUUID(),
      stepId: steps[c][step],
      stepPosition: step + 1,
      variantId: step === 0 ? (i % 4 < 2 ? 'A' : 'B') : null,
      channel: 'email',
      segmentId: segments[i % 3],
      source: 'newsletter',
      testMode: false,
      ...(type === 'engagement.converted' ? { value: 25, currency: 'USD' } : {}),
    };
    const value = JSON.stringify({
      eventId: randomUUID(),
      type,
      version: 1,
      occurredAt: time.toISOString(),
      tenantId,
      workspaceId,
      campaignId: campaigns[c],
      leadId: randomUUID(),
      data,
    });
    return { topic, type, key: campaigns[c], value };
  };
}

module.exports = { makeGenerator };
