import type { DocumentModel } from '../document/model.js';
import { NianbaoError } from '../errors.js';
import type { IngestOptions } from './index.js';

export async function read(_bytes: Uint8Array, _opts: IngestOptions): Promise<DocumentModel> {
  throw new NianbaoError('unsupported', 'text reading is not implemented yet');
}
