import { NotFoundError, Scope } from '@app/common';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { CampaignEntity } from './campaign.entity';

/** Every read of a campaign goes through the caller's tenant and workspace: foreign ids are 404. */
@Injectable()
export class CampaignLookup {
  constructor(private readonly ds: DataSource) {}

  async find(
    scope: Scope,
    id: string,
    manager: EntityManager = this.ds.manager,
    lock = false,
  ): Promise<CampaignEntity> {
    const qb = manager
      .getRepository(CampaignEntity)
      .createQueryBuilder('c')
      .where('c.id = :id AND c.tenant_id = :tenantId AND c.workspace_id = :workspaceId', {
        id,
        ...scope,
      });
    if (lock) qb.setLock('pessimistic_write');
    const campaign = await qb.getOne();
    if (!campaign) throw new NotFoundError('Campaign', id);
    return campaign;
  }
}
