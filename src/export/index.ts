export { exportCsv, parseCsv, csvField, csvLine, neutralise } from './csv.js';
export { exportXlsx, SHEETS } from './xlsx.js';
export { valueColumns, META_COLUMNS, type ValueColumn } from './columns.js';
export { RecordError, readRecords, readCrossRecords } from './records.js';
