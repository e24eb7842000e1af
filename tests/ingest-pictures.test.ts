/**
 * Tables pasted as pictures ("图片版"): a DOCX's embedded images, a web page's data: / MHTML images (both
 * src/ingest/pictures.ts) and the images on a PDF's pages with text (src/ingest/pdf.ts) are read by OCR
 * where they stand. The pictures are made at test time: a seeded HTML
 * report rendered by Chromium, each data table captured as a PNG at the screen's own scale.
 */
import { strToU8, unzipSync, zipSync } from 'fflate';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Block } from '../src/document/model.js';
import { readDocument } from '../src/ingest/index.js';
import { pictureDpi, placePictures, wideEnough } from '../src/ingest/pictures.js';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes } from '../src/parse.js';
import { hasChromium, launchBrowser, type Browser } from './helpers/browser.js';
import { fuzzCase, mismatches, type FuzzCase } from './helpers/fuzz-report.js';
import { minimalOfd, textObject } from './helpers/ofd-writer.js';
import { rasterise } from './helpers/ocr-raster.js';
import { pictureDocx, picturePage, surelyWrong } from './helpers/table-pictures.js';

const p = (text: string): Block => ({ kind: 'paragraph', text });

describe('pictures: which are read, and where their blocks go', () => {
  it('a picture shown narrower than 2.5 in is a seal or a logo; an unknown width leaves it to the pixels', () => {
    expect(wideEnough(1.6)).toBe(false);
    expect(wideEnough(6)).toBe(true);
    expect(wideEnough(undefined)).toBe(true);
  });

  it('measures text at the pixels over the shown width, a screen’s 96 dpi when the width is unknown', () => {
    expect(pictureDpi(1200, 6)).toBe(200);
    expect(pictureDpi(994, undefined)).toBe(96);
    expect(pictureDpi(100, 6)).toBe(72);
  });

  it('puts each picture’s blocks after the blocks before it, in document order', () => {
    const out = placePictures([p('a'), p('b'), p('c')], [1, 3, 1], { blocks: [[p('x')], [p('z')], [p('y')]], warnings: [] });
    expect(out.map((b) => (b.kind === 'paragraph' ? b.text : ''))).toEqual(['a', 'x', 'y', 'b', 'c', 'z']);
  });

  it('a small embedded picture is not read, and an EMF (vector) one is named in a warning', async () => {
    const tiny = new Uint8Array(await sharp({ create: { width: 40, height: 40, channels: 3, background: '#ffffff' } }).png().toBuffer());
    const docx = pictureDocx([{ text: '某某局2023年政府信息公开工作年度报告' }, { png: tiny, widthIn: 6, heightIn: 6 }]);
    const doc = await readDocument(docx, { path: 'x.docx' });
    expect(doc.blocks).toHaveLength(1);
    expect(doc.warnings).toEqual([]);
    // The same picture under an .emf name: a vector format no decoder here reads.
    const files = unzipSync(docx);
    files['word/media/image1.emf'] = files['word/media/image1.png'];
    delete files['word/media/image1.png'];
    files['word/_rels/document.xml.rels'] = strToU8(new TextDecoder().decode(files['word/_rels/document.xml.rels']).replace('image1.png', 'image1.emf'));
    const emf = await readDocument(zipSync(files), { path: 'x.docx' });
    expect(emf.warnings).toEqual(['a vector picture (EMF/WMF) not read: word/media/image1.emf']);
  });

  it('a web page whose wide pictures are not in the file says so, as a warning about our reading', async () => {
    const page = `<html><body><h1>某某县人民政府办公室2023年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>本年度……</p>
      <p>二、主动公开政府信息情况</p><p><img src="/u/cms/www/202401/W020240115.png" width="620"></p><p><img src="/img/share.png" width="20"></p></body></html>`;
    const r = await parseBytes(new TextEncoder().encode(page), { path: 'x.html' });
    const notes = r.findings.filter((f) => f.rule === 'P-SOURCE');
    // The narrow icon does not split the sentence it stands in.
    const doc = await readDocument(new TextEncoder().encode('<p>详见<img src="/i.png" width="16">附件</p>'), { path: 'x.html' });
    expect(doc.blocks.map((b) => (b.kind === 'paragraph' ? b.text : ''))).toEqual(['详见附件']);
    expect(notes).toEqual([expect.objectContaining({ severity: 'warning', message: '1 张宽度足以容纳表格的图片不在文件中（网页只链接到图片），未读取' })]);
  });
});

const readRight = (c: FuzzCase, r: ParseResult) => Object.keys(c.expected).length - mismatches(c, r).filter((m) => !m.startsWith('error ')).length;

describe.runIf(hasChromium)('a report whose tables are pictures', () => {
  let browser: Browser;
  let c: FuzzCase;
  let shots: { png: Uint8Array; widthPx: number }[];
  let html: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    c = await fuzzCase(3, 'html');
    ({ shots, html } = await picturePage(browser, new TextDecoder().decode(c.bytes)));
  }, 60_000);
  afterAll(async () => browser?.close());

  /** `pictures`: how many held text (every one taken, the page's CMS box too). */
  const check = (r: ParseResult, pictures: number, note = `文档中的 ${pictures} 张图片经 OCR 识别读取`) => {
    expect(r.report.formatVersion).toBe('2021');
    expect(surelyWrong(c, r)).toEqual([]);
    // A row or table OCR did not find is ours to doubt: never an error about the report.
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => `${f.rule} ${f.message}`)).toEqual([]);
    expect(readRight(c, r)).toBeGreaterThanOrEqual(50);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'P-SOURCE', severity: 'info', message: note }));
    expect(Object.values(r.cells).some((cell) => typeof cell.confidence === 'number')).toBe(true);
  };

  it('a web page with the tables as data: images', async () => {
    expect(shots.length).toBeGreaterThanOrEqual(3);
    // No table of the report is left as markup: only the page's layout tables.
    expect(html).not.toMatch(/申请人情况|本年制发件数|未经复议直接起诉/);
    check(await parseBytes(new TextEncoder().encode(html), { path: 'x.html' }), shots.length);
  }, 120_000);

  it('the page saved as MHTML, its pictures as parts the page names relatively', async () => {
    let k = 0;
    const names: string[] = [];
    const page = html.replace(/src="data:image\/png;base64,[^"]*"/g, () => `src="report_files/W0202401${String(++k).padStart(2, '0')}.png"`);
    const parts = shots.map((s, i) => {
      names.push(`W0202401${String(i + 1).padStart(2, '0')}.png`);
      return `--B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://www.example.gov.cn/report_files/${names[i]}\r\n\r\n${Buffer.from(s.png).toString('base64')}\r\n`;
    });
    const mhtml = `From: <Saved by Blink>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related; type="text/html"; boundary="B"\r\n\r\n--B\r\nContent-Type: text/html; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\nContent-Location: https://www.example.gov.cn/report.html\r\n\r\n${Buffer.from(page).toString('base64')}\r\n${parts.join('')}--B--\r\n`;
    check(await parseBytes(new TextEncoder().encode(mhtml), { path: 'x.mhtml' }), shots.length);
  }, 120_000);

  it('a PDF of that page (printed by the browser): pictures on pages with text, read where they stand', async () => {
    const page = await browser.context.newPage();
    let pdf: Uint8Array;
    try {
      await page.setContent(html, { waitUntil: 'load' });
      pdf = new Uint8Array(await page.pdf({ format: 'A4' }));
    } finally {
      await page.close();
    }
    const r = await parseBytes(pdf, { path: 'x.pdf' });
    check(r, shots.length, `第 1、2 页上的 ${shots.length} 张图片经 OCR 识别读取`);
  }, 120_000);

  it('a DOCX with the tables pasted as pictures', async () => {
    const doc = await readDocument(c.bytes, { path: 'x.html' });
    const items: Parameters<typeof pictureDocx>[0] = [];
    // Tables in the order the page shows them, as the pictures were taken; the CMS box beside the article is chrome.
    let k = 0;
    let pictures = 0;
    for (const b of doc.blocks) {
      if (b.kind === 'paragraph') {
        if (!b.chrome) items.push({ text: b.text });
        continue;
      }
      const s = shots[k++];
      if (!b.chrome && s) {
        items.push({ png: s.png, widthIn: s.widthPx / 96, heightIn: s.widthPx / 192 });
        pictures++;
      }
    }
    expect(k).toBe(shots.length);
    check(await parseBytes(pictureDocx(items), { path: 'x.docx' }), pictures);
  }, 120_000);
});

describe.runIf(hasChromium)('a PDF whose pictures OCR reads with blanks it may have missed', () => {
  // Which cells OCR finds empty depends on the fonts the browser drew with; the rule itself is pinned in
  // ocr.test.ts. Here: whatever it found, nothing is surely wrong and no error blames the report.
  it('seed 24 printed to PDF: no value surely wrong, no error about the report', async () => {
    const browser = await launchBrowser();
    let pdf: Uint8Array;
    let c: FuzzCase;
    try {
      c = await fuzzCase(24, 'html');
      const { html } = await picturePage(browser, new TextDecoder().decode(c.bytes));
      const page = await browser.context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      pdf = new Uint8Array(await page.pdf({ format: 'A4' }));
    } finally {
      await browser.close();
    }
    const r = await parseBytes(pdf, { path: 'x.pdf' });
    expect(surelyWrong(c, r)).toEqual([]);
    expect(r.findings.filter((f) => f.severity === 'error').map((f) => f.rule)).toEqual([]);
  }, 120_000);
});

describe('OFD pictures', () => {
  const image = (box: string, id = 7) => `<ofd:ImageObject ID="50" Boundary="${box}" CTM="${box.split(' ').slice(2).join(' 0 0 ')} 0 0" ResourceID="${id}"/>`;
  const media = (file: string, id = 7) => `<ofd:MultiMedias><ofd:MultiMedia ID="${id}" Type="Image" Format="PNG"><ofd:MediaFile>${file}</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias>`;

  it('a scanned page (an ImageObject and no text) is read by OCR, at the resolution it is drawn at', async () => {
    // Page 2 of the filled template, scanned at 150 dpi, as the OFD page's only content.
    const [png] = rasterise('tests/fixtures/pdf/template-filled.pdf', { dpi: 150, first: 2, last: 2 });
    const title = textObject('某某县人民政府办公室2023年政府信息公开工作年度报告', 25, 20, 5.6);
    const ofd = minimalOfd({ pages: [title, image('0 0 210 297')], res: media('scan-2.png'), files: { 'Doc_0/Res/scan-2.png': png } });
    const r = await parseBytes(ofd, { path: 'scan.ofd' });
    const ref = await parseBytes(new Uint8Array((await import('node:fs')).readFileSync('tests/fixtures/pdf/template-filled.docx')), { path: 'ref.docx' });
    expect(r.report.applications?.newReceived).toEqual(ref.report.applications?.newReceived);
    expect(r.findings).toContainEqual(expect.objectContaining({ rule: 'P-SOURCE', severity: 'info', message: '第 2 页上的图片经 OCR 识别读取' }));
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
  }, 120_000);

  it('a seal (a small picture) on a page with text is not read', async () => {
    const seal = new Uint8Array(await sharp({ create: { width: 300, height: 300, channels: 3, background: '#ff0000' } }).png().toBuffer());
    const page = textObject('某某县人民政府办公室2023年政府信息公开工作年度报告', 25, 20, 5.6) + image('140 240 40 40');
    const doc = await readDocument(minimalOfd({ pages: [page], res: media('seal.png'), files: { 'Doc_0/Res/seal.png': seal } }), { path: 'x.ofd' });
    expect(doc.warnings).toEqual([]);
    expect(doc.blocks).toHaveLength(1);
  });
});
