import { RenderedMessage, StepView } from '@app/contracts';
import { OutboundMessage } from '../channels/channel';
import { CampaignRun } from '../runs/run-snapshot';
import { buildEmail, ContactFields } from '../sending/message-builder';

/** Not a real delivery: tracking tokens minted for it resolve to nothing. */
export const PREVIEW_DELIVERY_ID = '00000000-0000-4000-8000-000000000000';

/** One rendering per variant (or one for a plain step), through the executor's own builder. */
export async function renderStep(
  run: CampaignRun,
  step: StepView,
  contact: ContactFields,
  env: { publicUrl: string; trackingSecret: string },
): Promise<Array<{ message: OutboundMessage; rendered: RenderedMessage }>> {
  const variants = step.variants?.length ? step.variants : [null];
  return Promise.all(
    variants.map(async (variant) => {
      const message = await buildEmail({
        run,
        step,
        variant,
        contact,
        deliveryId: PREVIEW_DELIVERY_ID,
        publicUrl: env.publicUrl,
        trackingSecret: env.trackingSecret,
        linkId: async () => 'preview',
      });
      const from = message.from
        ? message.from.name
          ? `${message.from.name} <${message.from.address}>`
          : message.from.address
        : '';
      return {
        message,
        rendered: {
          stepId: step.id,
          variantId: variant?.id ?? null,
          variantName: variant?.name ?? null,
          to: message.to,
          from,
          subject: message.subject ?? '',
          html: message.html ?? null,
          text: message.text ?? null,
          headers: message.headers ?? {},
        },
      };
    }),
  );
}
