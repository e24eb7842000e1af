export { exportCsv, parseCsv, csvField, csvLine } from './csv.js';
export { exportXlsx, SHEETS } from './xlsx.js';
export { valueColumns, META_COLUMNS, type ValueColumn } from './columns.js';
