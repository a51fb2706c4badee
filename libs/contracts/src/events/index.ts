export * from './envelope';
export * from './campaign-events';
