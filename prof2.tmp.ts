import { readFileSync } from 'node:fs';
import { parseBytes } from './src/parse.js';
const files = ['samples/huaian-shizhengfu-2024.pdf', 'samples/hongze-quzhengfu-2023.pdf'].map((f) => readFileSync(f));
for (let r = 0; r < 3; r++) for (const b of files) await parseBytes(b);
const t = performance.now();
for (let r = 0; r < 15; r++) for (const b of files) await parseBytes(b);
console.log('per report', ((performance.now() - t) / 30).toFixed(1));
