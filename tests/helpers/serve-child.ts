/**
 * `nianbao serve` in its own process, for the signal test:
 *   node --import tsx tests/helpers/serve-child.ts [serve arguments…]
 */
import { main } from '../../src/cli/main.js';

process.exitCode = await main(['serve', ...process.argv.slice(2)]);
