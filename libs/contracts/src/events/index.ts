export * from './envelope';
export * from './campaign-events';
export * from './message-events';
