export * from './executor-rpc';
export * from './progress';
export * from './tracking-token';
export * from './inbound';
export * from './webhook.dto';
export * from './authoring';
export * from './channel-account.dto';
export * from './ab-test.dto';
