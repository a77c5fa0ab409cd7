// `node --import` this file to log every module the process resolves (ESM resolve hook) to $MULTIRATER_LOAD_LOG.
import { register } from 'node:module';
register('./hooks.mjs', import.meta.url);
