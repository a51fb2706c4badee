export * from './kafka-client';
export * from './outbox';
export * from './outbox-relay';
export * from './relay-thread';
export * from './partitioner';
export * from './kafka.module';
