import { createRequire } from 'node:module';

/** From package.json, so `-V` never disagrees with what npm installed. */
export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
