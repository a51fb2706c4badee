import type { DataSource } from 'typeorm';
import type { LeadsEnv } from '../leads-env';
import { ExportService } from './export.service';

describe('ExportService tickets', () => {
  const scope = { tenantId: 't1', workspaceId: 'w1' };
  const service = () =>
    new ExportService({} as DataSource, { LEADS_EXPORT_PAGE_ROWS: 100 } as LeadsEnv);

  it('redeems a ticket once, for the scope and filters it was issued for', () => {
    const s = service();
    const ticket = s.open({ requestId: 'r' }, scope, { status: 'new' });
    expect(ticket).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(s.redeem(ticket)).toMatchObject({ scope, filters: { status: 'new' } });
    expect(s.redeem(ticket)).toBeNull();
    expect(s.redeem('made-up')).toBeNull();
  });

  it('refuses a ticket used too late', () => {
    const s = service();
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    const ticket = s.open({ requestId: 'r' }, scope, {});
    now.mockReturnValue(1_000_000 + 31_000);
    expect(s.redeem(ticket)).toBeNull();
    now.mockRestore();
  });
});
