import { DomainError } from '@app/common';
import { customKeyOf, resolveMapping } from './header-mapping';

describe('CSV header mapping', () => {
  it('maps common headers whatever their case and punctuation', () => {
    expect(
      resolveMapping([
        'E-mail Address',
        'First Name',
        'SURNAME',
        'Company_Name',
        'Job Title',
        'Lead Score',
      ]),
    ).toEqual(['email', 'firstName', 'lastName', 'company', 'title', 'leadScore']);
  });

  it('sends unknown columns to custom fields with camelCased keys', () => {
    expect(
      resolveMapping(['email', 'Referral Code', 'cf_age', 'customFields.interests', '2nd Phone']),
    ).toEqual([
      'email',
      'customFields.referralCode',
      'customFields.age',
      'customFields.interests',
      'customFields._2ndPhone',
    ]);
    expect(customKeyOf('!!!')).toBe('');
  });

  it('lets an explicit mapping override and ignore columns', () => {
    expect(
      resolveMapping(['Contact', 'Org', 'Internal id'], {
        Contact: 'email',
        Org: 'customFields.organisation',
        'Internal id': '',
      }),
    ).toEqual(['email', 'customFields.organisation', '']);
  });

  function problems(fn: () => unknown): string[] {
    try {
      fn();
    } catch (err) {
      return ((err as DomainError).details ?? []).map((d) => d.message);
    }
    throw new Error('expected a validation error');
  }

  it('refuses a header without an email column', () => {
    expect(problems(() => resolveMapping(['name', 'company']))).toEqual([
      'no column maps to email (name one in mapping)',
    ]);
  });

  it('names unknown targets, missing columns and double mappings', () => {
    const msgs = problems(() =>
      resolveMapping(['mail', 'Email', 'x'], { x: 'shoeSize', y: 'email' }),
    );
    expect(msgs.join('\n')).toMatch(/unknown field "shoeSize"/);
    expect(msgs.join('\n')).toMatch(/the file has no column "y"/);
    expect(msgs.join('\n')).toMatch(/"Email" and "mail" both map to email/);
  });
});
