// What every service is built with: the Temporal client it works through and the validated configuration.
import type { Client } from '@temporalio/client';
import type { Config } from './config';

export interface Deps {
  client: Client;
  config: Config;
}
