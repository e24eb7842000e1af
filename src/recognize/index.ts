import type { DocumentModel } from '../document/model.js';
import type { Cells, Finding, Report } from '../model/index.js';

export interface Recognition {
  report: Report;
  cells: Cells;
  /** Parse-quality findings (alignment inferred, layout notes); the audit adds the rest. */
  findings: Finding[];
}

export async function recognize(_doc: DocumentModel): Promise<Recognition> {
  throw new Error('not implemented');
}
