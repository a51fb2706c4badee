export * from './is-amount';
