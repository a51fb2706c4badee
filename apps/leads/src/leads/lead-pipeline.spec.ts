import { LEAD_STATUSES, LeadStatus } from '@app/contracts';
import { assertMove, PIPELINE } from './lead-pipeline';

describe('lead pipeline', () => {
  it.each([
    ['new', 'contacted'],
    ['contacted', 'qualified'],
    ['qualified', 'proposal'],
    ['proposal', 'negotiation'],
    ['negotiation', 'won'],
    ['proposal', 'lost'],
    ['lost', 'contacted'],
    ['unqualified', 'nurturing'],
  ] as const)('allows %s → %s', (from, to) => {
    expect(() => assertMove(from, to)).not.toThrow();
  });

  it('refuses every move not in the table with a message naming the legal ones', () => {
    let refused = 0;
    for (const from of LEAD_STATUSES) {
      for (const to of LEAD_STATUSES) {
        if (from === to || PIPELINE[from].includes(to)) continue;
        expect(() => assertMove(from, to)).toThrow(`Cannot move a lead from ${from} to ${to}`);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(40);
  });

  it('keeps won final and names it', () => {
    expect(PIPELINE.won).toEqual([]);
    expect(() => assertMove('won', 'lost')).toThrow('(won is final)');
  });

  it('only names statuses that exist', () => {
    for (const targets of Object.values(PIPELINE))
      for (const t of targets) expect(LEAD_STATUSES).toContain(t as LeadStatus);
  });
});
