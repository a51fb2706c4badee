import { DynamicModule, Module } from '@nestjs/common';
import { CampaignsModule } from '../campaigns/campaigns.module';
import { ContentController } from './content.controller';
import { ContentService, MEDIA_MAX_BYTES } from './content.service';
import { LocalDiskStorage, MediaStorage } from './media-storage';

@Module({})
export class ContentModule {
  static register(opts: { mediaDir: string; maxBytes: number }): DynamicModule {
    return {
      module: ContentModule,
      imports: [CampaignsModule],
      controllers: [ContentController],
      providers: [
        ContentService,
        { provide: MediaStorage, useValue: new LocalDiskStorage(opts.mediaDir) },
        { provide: MEDIA_MAX_BYTES, useValue: opts.maxBytes },
      ],
    };
  }
}
