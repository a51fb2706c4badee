export * from './events';
export * from './rpc';
export * from './campaigns';
export * from './accounts';
export * from './queues';
export * from './leads';
export * from './executor';
export * from './analytics';
