import { readFileSync } from 'node:fs';
import { openPdfium, loadPdfium } from './src/ingest/pdf/pdfium.js';
import { spawnSync } from 'node:child_process';
const W: any = await loadPdfium();
for (const f of ['samples/huaian-shizhengfu-2024.pdf', 'samples/hongze-quzhengfu-2023.pdf']) {
  const bytes = readFileSync(f);
  const t = { open: 0, load: 0, text: 0, objs: 0, all: 0, ptt: 0 };
  for (let r = 0; r < 15; r++) {
    let a = performance.now();
    const doc: any = await openPdfium(bytes);
    t.open += performance.now() - a;
    for (let p = 1; p <= doc.pageCount; p++) {
      a = performance.now();
      const page = W._FPDF_LoadPage(doc.doc, p - 1);
      const n = W._FPDFPage_CountObjects(page);
      t.load += performance.now() - a; a = performance.now();
      const tp = W._FPDFText_LoadPage(page);
      W._FPDFText_ClosePage(tp);
      t.text += performance.now() - a;
      W._FPDF_ClosePage(page);
      a = performance.now();
      doc.readPage(p);
      t.all += performance.now() - a;
    }
    doc.close();
    a = performance.now();
    spawnSync('pdftotext', ['-layout', f, '-']);
    t.ptt += performance.now() - a;
  }
  for (const k of Object.keys(t)) (t as any)[k] = ((t as any)[k] / 15).toFixed(1);
  console.log(f, t);
}
