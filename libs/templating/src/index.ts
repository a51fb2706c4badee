export * from './placeholders';
export * from './html';
