/**
 * A batch run in its own process, for the kill -9 test:
 *   node --import tsx tests/helpers/batch-child.ts IN OUT [--resume]
 */
import { runBatch } from '../../src/batch/run.js';
import { STUB_PARSER } from './batch-tree.js';

const [input, out, flag] = process.argv.slice(2);
await runBatch({ inputs: [input], out, jobs: 1, parser: STUB_PARSER, resume: flag === '--resume', overwrite: flag !== '--resume', cross: false });
