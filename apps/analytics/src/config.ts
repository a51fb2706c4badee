import { databaseEnv, healthEnv, kafkaEnv, logEnv, servicesEnv, str } from '@app/config';

export const analyticsEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...healthEnv(4103),
  RPC_HOST: str('127.0.0.1'),
};
