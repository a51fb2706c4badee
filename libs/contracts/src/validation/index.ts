export * from './is-amount';
export * from './query-number';
export * from './paged-query';
