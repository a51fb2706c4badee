import { HealthService } from '@app/common';
import {
  DynamicModule,
  Global,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  OnModuleInit,
  Optional,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import { createDataSource, initializeAndMigrate, ServiceDatabaseOptions } from './data-source';

@Injectable()
class DataSourceLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(
    @Inject(DataSource) private readonly ds: DataSource,
    @Optional() @Inject(HealthService) private readonly health?: HealthService,
  ) {}

  onModuleInit(): void {
    this.health?.register('postgres', async () => void (await this.ds.query('SELECT 1')));
  }
  async onApplicationShutdown(): Promise<void> {
    if (this.ds.isInitialized) await this.ds.destroy();
  }
}

/** Gives a service its DataSource, connected and migrated before anything else starts. */
@Global()
@Module({})
export class DatabaseModule {
  static forService(opts: ServiceDatabaseOptions): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: DataSource,
          useFactory: async () => {
            const ds = createDataSource(opts);
            await initializeAndMigrate(ds, opts.schema);
            return ds;
          },
        },
        DataSourceLifecycle,
      ],
      exports: [DataSource],
    };
  }
}
