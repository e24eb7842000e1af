#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` / `npm ci` (the prepare script).
import { run } from '../dist/cli/main.js';

void run(process.argv.slice(2));
