import { StepView } from '@app/contracts';

export interface Engagement {
  opened_at: Date | null;
  clicked_at: Date | null;
  replied_at: Date | null;
}

/** A condition step about the previous email: does it hold for this contact? */
export function conditionHolds(step: StepView, last: Engagement | null): boolean {
  const kind = String(step.condition?.kind ?? '');
  const did = (field: keyof Engagement) => Boolean(last?.[field]);
  switch (kind) {
    case 'opened':
      return did('opened_at');
    case 'not_opened':
      return !did('opened_at');
    case 'clicked':
      return did('clicked_at');
    case 'not_clicked':
      return !did('clicked_at');
    case 'replied':
      return did('replied_at');
    case 'not_replied':
      return !did('replied_at');
    default:
      return true;
  }
}
