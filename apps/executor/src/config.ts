import { databaseEnv, healthEnv, kafkaEnv, logEnv, redisEnv, servicesEnv, str } from '@app/config';

export const executorEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...redisEnv,
  ...healthEnv(4104),
  RPC_HOST: str('127.0.0.1'),
};
