export * from './test-env';
export * from './stack';
export * from './api-client';
export * from './tenants';
export * from './kafka-collector';
export * from './settles';
