import { databaseEnv, healthEnv, kafkaEnv, logEnv, servicesEnv, str } from '@app/config';

export const leadsEnv = {
  ...databaseEnv,
  ...kafkaEnv,
  ...logEnv,
  ...servicesEnv,
  ...healthEnv(4102),
  RPC_HOST: str('127.0.0.1'),
};
