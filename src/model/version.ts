/** The ParseResult contract's version; zod-free so that a plain parse need not load the schemas. */
export const SCHEMA_VERSION = '1';
