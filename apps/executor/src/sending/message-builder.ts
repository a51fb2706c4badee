import { signTrackingToken, StepView } from '@app/contracts';
import { renderTemplate } from '@app/templating';
import { OutboundMessage } from '../channels/channel';
import { CampaignRun } from '../runs/run-snapshot';

export interface ContactFields {
  email: string;
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  title: string | null;
  phone: string | null;
  timezone: string | null;
  customFields: Record<string, unknown>;
}

export interface BuildInput {
  run: CampaignRun;
  step: StepView;
  variant: StepView['variants'][number] | null;
  contact: ContactFields;
  deliveryId: string;
  publicUrl: string;
  trackingSecret: string;
  linkId: (url: string) => Promise<string>;
}

const HREF = /href\s*=\s*(["'])(https?:\/\/[^"'\s]+)\1/gi;

/**
 * Renders one email: placeholders with fallbacks (escaped in HTML, one line in headers), the
 * RFC 8058 one-click unsubscribe headers and an unsubscribe link in the body, an open pixel and
 * rewritten links when tracking is on.
 */
export async function buildEmail(input: BuildInput): Promise<OutboundMessage> {
  const { run, step, variant, contact, deliveryId, publicUrl } = input;
  const token = (kind: 'o' | 'c' | 'u', linkId?: string) =>
    signTrackingToken(input.trackingSecret, { kind, deliveryId, linkId });
  const unsubscribeUrl = `${publicUrl}/t/u/${token('u')}`;
  const vars = varsFor(contact, run, unsubscribeUrl);
  const subject = renderTemplate(variant?.subject ?? step.subject ?? '', vars, 'header');
  let html = variant?.bodyHtml ?? step.bodyHtml ?? undefined;
  const textSource = variant?.bodyText ?? step.bodyText ?? undefined;
  let text = textSource !== undefined ? renderTemplate(textSource, vars, 'text') : undefined;
  if (text !== undefined && !text.includes(unsubscribeUrl))
    text += `\n\n--\nUnsubscribe: ${unsubscribeUrl}\n`;
  if (html !== undefined) {
    html = renderTemplate(html, vars, 'html');
    if (run.snapshot.settings.trackClicks) html = await rewriteLinks(html, publicUrl, input, token);
    // After the link rewriting: the unsubscribe link must stay a direct one.
    html = withUnsubscribeFooter(html, unsubscribeUrl);
    if (run.snapshot.settings.trackOpens)
      html = addPixel(html, `${publicUrl}/t/o/${token('o')}.gif`);
  }
  return {
    deliveryId,
    to: contact.email,
    from: { name: run.snapshot.fromName, address: run.snapshot.fromEmail ?? '' },
    replyTo: run.snapshot.replyTo,
    subject,
    html,
    text: text ?? (html === undefined ? '' : undefined),
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'X-Campaign-Id': run.campaignId,
      'X-Delivery-Id': deliveryId,
    },
  };
}

export function varsFor(contact: ContactFields, run: CampaignRun, unsubscribeUrl: string) {
  return {
    firstName: contact.firstName,
    lastName: contact.lastName,
    fullName: [contact.firstName, contact.lastName].filter(Boolean).join(' '),
    email: contact.email,
    company: contact.company,
    title: contact.title,
    phone: contact.phone,
    timezone: contact.timezone,
    campaignName: run.snapshot.name,
    fromName: run.snapshot.fromName,
    unsubscribeUrl,
    custom: contact.customFields ?? {},
  };
}

async function rewriteLinks(
  html: string,
  publicUrl: string,
  input: BuildInput,
  token: (kind: 'c', linkId: string) => string,
): Promise<string> {
  const urls = [...new Set([...html.matchAll(HREF)].map((m) => m[2]))].filter(
    (u) => !u.startsWith(`${publicUrl}/t/`),
  );
  const tracked = new Map<string, string>();
  for (const url of urls)
    tracked.set(url, `${publicUrl}/t/c/${token('c', await input.linkId(url))}`);
  return html.replace(HREF, (whole, quote: string, url: string) =>
    tracked.has(url) ? `href=${quote}${tracked.get(url)}${quote}` : whole,
  );
}

/** Every marketing email says how to stop them in its body too, unless it already links there. */
export function withUnsubscribeFooter(html: string, url: string): string {
  if (html.includes(url)) return html;
  const footer = `<p style="font-size:12px;color:#666666">Don't want these emails? <a href="${url}">Unsubscribe</a>.</p>`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${footer}</body>`) : html + footer;
}

function addPixel(html: string, src: string): string {
  const img = `<img src="${src}" width="1" height="1" alt="" style="display:none">`;
  return /<\/body>/i.test(html) ? html.replace(/<\/body>/i, `${img}</body>`) : html + img;
}
