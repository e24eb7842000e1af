// Writes schemas/report.schema.json from the zod model (npm run schema).
import { writeFileSync } from 'node:fs';
import { jsonSchema } from '../src/model/index.js';

writeFileSync(new URL('../schemas/report.schema.json', import.meta.url), JSON.stringify(jsonSchema(), null, 2) + '\n');
console.log('wrote schemas/report.schema.json');
