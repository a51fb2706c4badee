import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/**
 * Stored click destinations: a click token names a link id, and the redirect goes only to the
 * URL stored under that id for that campaign, never to a URL taken from the request.
 */
@Injectable()
export class LinkStore {
  private readonly ids = new Map<string, string>();

  constructor(private readonly ds: DataSource) {}

  async idFor(campaignId: string, url: string): Promise<string> {
    const key = `${campaignId} ${url}`;
    const cached = this.ids.get(key);
    if (cached) return cached;
    const [row] = await this.ds.query(
      `INSERT INTO executor.links (campaign_id, url) VALUES ($1, $2)
       ON CONFLICT (campaign_id, url) DO UPDATE SET url = EXCLUDED.url
       RETURNING id`,
      [campaignId, url],
    );
    this.ids.set(key, row.id);
    return row.id;
  }
}
