/**
 * Reports whose tables are pictures ("图片版"), made at test time: a seeded HTML report rendered by Chromium,
 * each data table (a table holding no table) captured as a PNG at the size it shows, and the page rebuilt
 * with an <img> in each table's place, or written as a DOCX with the pictures embedded where the tables
 * stood. Nothing large is committed.
 */
import { zipSync, strToU8 } from 'fflate';
import type { ParseResult } from '../../src/model/index.js';
import { inPage, type Browser } from './browser.js';
import { mismatches, type FuzzCase } from './fuzz-report.js';

/** A data table: one holding no table (layout tables wrap the page). */
const DATA_TABLE = 'table:not(:has(table))';

/**
 * Each data table of the page as a PNG with the CSS width it shows at, and the page (as Chromium serialises
 * it) with an <img> of the data: URI of its picture in each table's place.
 */
export async function picturePage(browser: Browser, html: string): Promise<{ shots: { png: Uint8Array; widthPx: number }[]; html: string }> {
  // At the screen's own scale, one CSS pixel a pixel: what a screenshot pasted into a page is.
  const page = await browser.context.newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    const shots: { png: Uint8Array; widthPx: number }[] = [];
    for (const t of await page.$$(DATA_TABLE)) {
      const box = await t.boundingBox();
      if (!box || box.width < 50 || box.height < 20) continue;
      shots.push({ png: new Uint8Array(await t.screenshot({ type: 'png' })), widthPx: Math.round(box.width) });
    }
    const uris = shots.map((x) => `data:image/png;base64,${Buffer.from(x.png).toString('base64')}`);
    // Page code as text: this project type-checks for Node, without the DOM's types.
    const rebuilt = await inPage<string>(
      page,
      `(() => {
        const list = ${JSON.stringify(uris)};
        const widths = ${JSON.stringify(shots.map((x) => x.widthPx))};
        let k = 0;
        for (const t of [...document.querySelectorAll(${JSON.stringify(DATA_TABLE)})]) {
          const r = t.getBoundingClientRect();
          if (r.width < 50 || r.height < 20) continue;
          const img = document.createElement('img');
          img.src = list[k];
          img.width = widths[k++];
          const p = document.createElement('p');
          p.append(img);
          t.replaceWith(p);
        }
        return '<!DOCTYPE html>' + document.documentElement.outerHTML;
      })()`,
    );
    return { shots, html: rebuilt };
  } finally {
    await page.close();
  }
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A DOCX of paragraphs and pictures (PNG, shown `widthIn` wide), in order. */
export function pictureDocx(items: ({ text: string } | { png: Uint8Array; widthIn: number; heightIn: number })[]): Uint8Array {
  const media: Record<string, Uint8Array> = {};
  const rels: string[] = [];
  const body = items.map((it, i) => {
    if ('text' in it) return `<w:p><w:r><w:t xml:space="preserve">${esc(it.text)}</w:t></w:r></w:p>`;
    const n = Object.keys(media).length + 1;
    media[`word/media/image${n}.png`] = it.png;
    rels.push(`<Relationship Id="rIdImg${n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image${n}.png"/>`);
    const cx = Math.round(it.widthIn * 914400);
    const cy = Math.round(it.heightIn * 914400);
    return `<w:p><w:r><w:drawing><wp:inline><wp:extent cx="${cx}" cy="${cy}"/><wp:docPr id="${i + 1}" name="Picture ${n}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:nvPicPr><pic:cNvPr id="${n}" name="image${n}.png"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed="rIdImg${n}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="${cx}" cy="${cy}"/></a:xfrm><a:prstGeom prst="rect"/></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>`;
  });
  const doc = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"><w:body>${body.join('')}</w:body></w:document>`;
  return zipSync({
    '[Content_Types].xml': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="png" ContentType="image/png"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`),
    '_rels/.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`),
    'word/document.xml': strToU8(doc),
    'word/_rels/document.xml.rels': strToU8(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels.join('')}</Relationships>`),
    ...media,
  });
}

/** Cells read as a number that is not the report's, and that do not say so (not inferred, OCR confidence ≥ 0.9). */
export function surelyWrong(c: FuzzCase, r: ParseResult): string[] {
  return mismatches(c, r).filter((m) => {
    if (!/ → \d[\d.]*\/number$/.test(m)) return false;
    const cell = r.cells[m.slice(0, m.indexOf(':'))];
    return !cell?.inferred && !(cell?.confidence !== undefined && cell.confidence < 0.9);
  });
}
