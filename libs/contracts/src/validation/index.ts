export * from './is-amount';
export * from './query-number';
