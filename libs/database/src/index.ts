export * from './data-source';
export * from './database.module';
export * from './outbox.entity';
export * from './copy-from-stdin';
export * from './prepared-statement';
export * from './array-literal';
export * as pgBinary from './pg-binary';
