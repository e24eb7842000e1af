/** Seeds of the LibreOffice text exports in tests/fixtures/text/cells (scripts/make-cell-lines-text.ts). */
export const CELL_LINE_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

/** Seeds of the browser-copied texts in tests/fixtures/text/innertext (scripts/make-innertext-text.ts). */
export const INNERTEXT_SEEDS = [1, 3, 4, 5, 6, 9];
