export * from './audience';
export * from './lead-events';
