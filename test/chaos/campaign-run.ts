import { Api } from '@app/testing';

const mailApi = () => `http://127.0.0.1:${process.env.MAILCATCHER_HTTP_PORT ?? 1080}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Imports `count` consenting leads under a domain of their own and returns a segment of them. */
export async function importAudience(
  api: Api,
  tag: string,
  count: number,
): Promise<{ segmentId: string; domain: string }> {
  const domain = `${tag}.chaos.example`;
  const rows = ['email,first_name,consent'];
  for (let i = 0; i < count; i++) rows.push(`c${i}@${domain},Contact${i},true`);
  const form = new FormData();
  form.append('file', new Blob([rows.join('\n') + '\n'], { type: 'text/csv' }), `${tag}.csv`);
  form.append('source', tag);
  let job = (await api.post('/api/v1/leads/import', form)).body.data;
  while (!['completed', 'failed'].includes(job.status)) {
    await sleep(500);
    job = (await api.get(`/api/v1/leads/imports/${job.id}`)).body.data;
  }
  if (job.result.created !== count)
    throw new Error(`import created ${job.result.created} of ${count}: ${JSON.stringify(job)}`);
  const segment = await api.post('/api/v1/segments', {
    name: tag,
    rules: { combinator: 'and', rules: [{ field: 'source', operator: 'eq', value: tag }] },
  });
  return { segmentId: segment.body.data.id, domain };
}

export async function launchBroadcast(api: Api, tag: string, segmentId: string): Promise<string> {
  const campaign = (
    await api.post('/api/v1/campaigns', {
      name: `Chaos ${tag}`,
      type: 'broadcast',
      fromEmail: 'chaos@chaos.example',
      targetAudience: { segments: [segmentId] },
      settings: { trackOpens: false, trackClicks: false },
    })
  ).body.data;
  await api.post(`/api/v1/campaigns/${campaign.id}/steps`, {
    type: 'email',
    subject: 'Hello {{firstName}}',
    bodyText: 'Chaos test {{email}}',
  });
  const launched = await api.post(`/api/v1/campaigns/${campaign.id}/launch`, {});
  if (launched.status !== 200) throw new Error(`launch failed: ${launched.text}`);
  return campaign.id;
}

export async function progressOf(api: Api, campaignId: string): Promise<any> {
  return (await api.get(`/api/v1/campaigns/${campaignId}/progress`)).body.data;
}

export async function waitForCompletion(
  api: Api,
  campaignId: string,
  timeoutMs: number,
): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const progress = await progressOf(api, campaignId).catch(() => undefined);
    if (progress && ['completed', 'cancelled', 'failed'].includes(progress.status)) return progress;
    if (Date.now() > deadline)
      throw new Error(`campaign not finished in time: ${JSON.stringify(progress)}`);
    await sleep(1000);
  }
}

/** Copies per recipient at the SMTP server: the ground truth. */
export async function smtpTruth(
  domain: string,
): Promise<{ delivered: number; duplicated: number; copies: Record<string, number> }> {
  const res = await fetch(`${mailApi()}/api/recipients?domain=${domain}`);
  const { recipients } = (await res.json()) as { recipients: Record<string, number> };
  const counts = Object.values(recipients);
  return {
    delivered: counts.length,
    duplicated: counts.reduce((sum, n) => sum + (n - 1), 0),
    copies: recipients,
  };
}

/** Waits until analytics stops moving, then returns its figures for the campaign. */
export async function settledPerformance(
  api: Api,
  campaignId: string,
  expectedSent: number,
): Promise<any> {
  let last = '';
  for (let i = 0; i < 60; i++) {
    const perf = (await api.get(`/api/v1/campaigns/${campaignId}/performance`)).body.data;
    const now = JSON.stringify(perf?.metrics);
    if (perf?.metrics?.sent === expectedSent && now === last) return perf;
    last = now;
    await sleep(1000);
  }
  return (await api.get(`/api/v1/campaigns/${campaignId}/performance`)).body.data;
}
