/**
 * A text PDF turned into the shape of a searchable scan's text layer: every text object drawn in render
 * mode 3 (invisible), as scanner software and OCR tools (ABBYY, tesseract, ocrmypdf) lay their reading over
 * the page image. Content streams are inflated, given `3 Tr` after each BT and written back uncompressed;
 * the cross-reference table is left stale, which PDF readers rebuild (PDFium does).
 */
import { inflateSync } from 'node:zlib';

export function invisibleTextLayer(pdf: Uint8Array): Uint8Array {
  const s = Buffer.from(pdf).toString('latin1');
  const out: string[] = [];
  let at = 0;
  const re = /<<((?:(?!>>\s*stream)[\s\S])*?)>>\s*stream\r?\n/g;
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const dict = m[1];
    const start = m.index + m[0].length;
    const end = s.indexOf('endstream', start);
    if (end < 0) break;
    if (!/\/FlateDecode/.test(dict) || /\/Subtype\s*\/(Image|Form)|\/Type\s*\/(XRef|ObjStm)|\/Length1/.test(dict)) continue;
    let text: string;
    try {
      text = inflateSync(Buffer.from(s.slice(start, end), 'latin1')).toString('latin1');
    } catch {
      continue;
    }
    if (!/\bBT\b/.test(text)) continue;
    const body = text.replace(/\bBT\b/g, 'BT 3 Tr');
    const newDict = dict.replace(/\/Filter\s*\/FlateDecode/, '').replace(/\/Length\s+\d+(\s+\d+\s+R)?/, `/Length ${body.length}`);
    out.push(s.slice(at, m.index), `<<${newDict}>>\nstream\n`, body, '\n');
    at = end;
    re.lastIndex = end;
  }
  out.push(s.slice(at));
  return new Uint8Array(Buffer.from(out.join(''), 'latin1'));
}
