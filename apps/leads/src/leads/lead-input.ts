import { CaptureLeadDto, UpdateLeadDto } from '@app/contracts';
import { LEAD_FIELDS } from './lead-fields';

/** Fields a writer may set directly (email, status, consent and custom fields have their own rules). */
const PLAIN_FIELDS = [
  'firstName',
  'lastName',
  'company',
  'phone',
  'title',
  'companySize',
  'industry',
  'country',
  'source',
  'campaignId',
  'leadScore',
  'engagementScore',
  'interestLevel',
  'budgetRange',
  'timeline',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'salesStage',
  'salesRep',
  'timezone',
] as const;

export interface FlatLeadInput {
  email?: string;
  status?: string;
  notes?: string;
  followUpDate?: string;
  consent?: { email: boolean; source?: string };
  customFields?: Record<string, unknown>;
  /** Plain fields by API name (firstName, companySize, ...). */
  fields: Record<string, unknown>;
}

/** The API's nested shape (contact, profile, qualification, tracking) → one flat field map. */
export function flattenLeadInput(dto: CaptureLeadDto | UpdateLeadDto): FlatLeadInput {
  const d = dto as CaptureLeadDto & UpdateLeadDto;
  const nested: Record<string, unknown> = {
    ...(d.contact ?? {}),
    ...(d.profile ?? {}),
    ...(d.qualification ?? {}),
    ...(d.tracking ?? {}),
    source: d.source,
    campaignId: d.campaignId,
    salesStage: d.salesStage,
    salesRep: d.salesRep,
    timezone: d.timezone,
  };
  const fields: Record<string, unknown> = {};
  for (const name of PLAIN_FIELDS) {
    if (nested[name] === undefined) continue;
    fields[name] = name === 'country' ? String(nested[name]).toUpperCase() : nested[name];
  }
  return {
    email: d.contact?.email,
    status: d.status,
    notes: d.notes,
    followUpDate: d.followUpDate,
    consent: d.consent,
    customFields: d.customFields,
    fields,
  };
}

export const columnOf = (field: string): string => LEAD_FIELDS[field].column;
