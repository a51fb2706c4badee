export * from './analytics-rpc';
export * from './analytics-query.dto';
export * from './analytics-input.dto';
export * from './views';
