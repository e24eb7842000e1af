// The build's second step: tsc compiles src/ to dist/ but copies no other file; the serve page's
// stylesheet and script are plain files, served from next to the compiled server.
import { cpSync } from 'node:fs';

cpSync(new URL('../src/serve/assets/', import.meta.url), new URL('../dist/serve/assets/', import.meta.url), { recursive: true });
