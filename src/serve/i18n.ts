/** The page's own words, Chinese and English; report text and official table labels are never translated. */
export type UiLang = 'zh' | 'en';

const T = {
  appTitle: { zh: 'nianbao 年报审核', en: 'nianbao report audit' },
  skip: { zh: '跳到报告内容', en: 'Skip to the report' },
  langSwitch: { zh: 'English', en: '中文' },
  langSwitchLabel: { zh: '切换到英文界面', en: 'Switch to Chinese' },
  upload: { zh: '添加报告', en: 'Add reports' },
  uploadHint: { zh: '把报告文件拖到本页任意位置，或', en: 'Drop report files anywhere on this page, or' },
  choose: { zh: '选择文件', en: 'choose files' },
  uploading: { zh: '正在解析', en: 'Parsing' },
  uploadFailed: { zh: '上传失败', en: 'Upload failed' },
  tooLarge: { zh: '文件超过上传上限', en: 'the file is over the upload limit of' },
  export: { zh: '导出全部', en: 'Export all' },
  list: { zh: '报告列表', en: 'Reports' },
  filter: { zh: '筛选（机关、文件、年度）', en: 'Filter (agency, file, year)' },
  file: { zh: '文件', en: 'File' },
  agency: { zh: '机关', en: 'Agency' },
  year: { zh: '年度', en: 'Year' },
  formatVersion: { zh: '年报格式', en: 'Format' },
  keyNew: { zh: '本年新收', en: 'New' },
  keyDone: { zh: '办结总计', en: 'Concluded' },
  keyCarry: { zh: '结转下年', en: 'Carried fwd' },
  keyReview: { zh: '行政复议', en: 'Reviews' },
  errors: { zh: '错误', en: 'Errors' },
  warnings: { zh: '警告', en: 'Warnings' },
  infos: { zh: '提示', en: 'Info' },
  sortBy: { zh: '排序：', en: 'Sort by ' },
  noReports: { zh: '尚未加载报告。', en: 'No report loaded yet.' },
  failures: { zh: '未能读取的文件', en: 'Files that could not be read' },
  code: { zh: '错误码', en: 'Code' },
  reason: { zh: '原因', en: 'Reason' },
  duplicates: { zh: '重复文件', en: 'Duplicate files' },
  duplicateOf: { zh: '与之相同', en: 'Same content as' },
  failedFile: { zh: '这个文件未能读取为年报', en: 'This file could not be read as a report' },
  source: { zh: '来源', en: 'Source' },
  pages: { zh: '页数', en: 'Pages' },
  table2: { zh: '表二 主动公开政府信息情况', en: 'Table 2 — proactive disclosure' },
  table3: { zh: '表三 收到和处理政府信息公开申请情况', en: 'Table 3 — applications received and handled' },
  table4: { zh: '表四 政府信息公开行政复议、行政诉讼情况', en: 'Table 4 — administrative review and litigation' },
  notRead: { zh: '未读取到该表。', en: 'This table was not read.' },
  findings: { zh: '问题清单', en: 'Findings' },
  noFindings: { zh: '未发现问题。', en: 'No findings.' },
  crossFindings: { zh: '跨报告问题', en: 'Cross-report findings' },
  related: { zh: '对照报告', en: 'Compared with' },
  expected: { zh: '应为', en: 'Expected' },
  actual: { zh: '实为', en: 'Actual' },
  error: { zh: '错误', en: 'Error' },
  warning: { zh: '警告', en: 'Warning' },
  info: { zh: '提示', en: 'Info' },
  cellPanel: { zh: '所选单元格', en: 'Selected cell' },
  cellPanelHint: { zh: '选中一个单元格，查看涉及它的问题；选中一个问题，标出它涉及的单元格。', en: 'Select a cell to list its findings; select a finding to mark its cells.' },
  cellNoFindings: { zh: '该单元格没有问题。', en: 'No finding names this cell.' },
  narrative: { zh: '正文', en: 'Narrative' },
  sectionMissing: { zh: '（未找到该部分）', en: '(section not found)' },
  raw: { zh: '原文', en: 'Raw text' },
  kind: { zh: '类型', en: 'Kind' },
  page: { zh: '页', en: 'Page' },
  table: { zh: '表', en: 'Table' },
  row: { zh: '源行', en: 'Source row' },
  col: { zh: '源列', en: 'Source column' },
  line: { zh: '源行号', en: 'Source line' },
  inferred: { zh: '推断', en: 'Inferred' },
  derived: { zh: '推算值', en: 'Derived' },
  noCell: { zh: '无来源信息', en: 'no provenance' },
  open: { zh: '打开', en: 'Open' },
  report: { zh: '报告', en: 'Report' },
  applicants: { zh: '申请人情况', en: 'Applicants' },
  legalPersons: { zh: '法人或其他组织', en: 'Legal persons and other organisations' },
  results: { zh: '三、本年度办理结果', en: '三、本年度办理结果' },
  subtotal: { zh: '小计', en: '小计' },
  litigation: { zh: '行政诉讼', en: '行政诉讼' },
  infoContent: { zh: '信息内容', en: '信息内容' },
  extraRow: { zh: '非标准行', en: 'non-standard row' },
} as const satisfies Record<string, Record<UiLang, string>>;

export type UiKey = keyof typeof T;

export function t(lang: UiLang, key: UiKey): string {
  return T[key][lang];
}

/** Cell kinds by name; a kind this page does not know yet is shown by its own name. */
const KINDS: Record<string, Record<UiLang, string>> = {
  number: { zh: '数字', en: 'number' },
  blank: { zh: '空白', en: 'blank' },
  dash: { zh: '占位符（—）', en: 'dash' },
  slash: { zh: '占位符（/）', en: 'slash' },
  text: { zh: '文字', en: 'text' },
  missing: { zh: '缺失', en: 'missing' },
  unplaced: { zh: '未定位（数值未能放入单元格）', en: 'unplaced (value not placed in a cell)' },
};

export function kindLabel(lang: UiLang, kind: string): string {
  return KINDS[kind]?.[lang] ?? kind;
}

export function isUiLang(v: unknown): v is UiLang {
  return v === 'zh' || v === 'en';
}
