import { describe, expect, it } from 'vitest';
import type { DocumentModel, Paragraph } from '../src/document/model.js';
import { NianbaoError } from '../src/errors.js';
import { read } from '../src/ingest/html.js';
import type { ParseResult } from '../src/model/index.js';
import { parseBytes, parseFile } from '../src/parse.js';
import { rng } from './helpers/batch-reports.js';
import { CHROME_MARKERS, portalOptions, portalPage, type PortalOptions } from './helpers/portal-page.js';
import { sharedDir } from './helpers/shared.js';

const html = (s: string) => read(new TextEncoder().encode(s), {});
const texts = (doc: DocumentModel, chrome: boolean) => doc.blocks.filter((b): b is Paragraph => b.kind === 'paragraph' && !!b.chrome === chrome).map((p) => p.text);
const KEYS = ['overview', 'proactive', 'applications', 'reviewLitigation', 'problems', 'other'] as const;
const parsePage = (o: PortalOptions) => parseBytes(new TextEncoder().encode(portalPage(o)), { path: 'page.html' });
const reading = (r: ParseResult) => ({ sections: r.report.sections, applications: r.report.applications, proactive: r.report.proactive, reviewLitigation: r.report.reviewLitigation, findings: r.findings.map((f) => `${f.rule} ${f.message}`) });

describe('html: the article container and page chrome', () => {
  it('marks navigation, breadcrumb, sidebar and footer as chrome, in document order, and keeps the article', async () => {
    const doc = await html(portalPage({ landmarks: 'classes', layout: 'divs', sidebar: 'after' }));
    const chrome = texts(doc, true);
    for (const t of ['网站首页', '相关链接', '友情链接：中国政府网 省政府 市政府']) expect(chrome).toContain(t);
    expect(chrome.some((t) => t.startsWith('当前位置'))).toBe(true);
    expect(chrome.some((t) => t.includes('ICP备'))).toBe(true);
    const content = texts(doc, false);
    expect(content[0]).toBe('XX县人民政府办公室2023年政府信息公开工作年度报告');
    expect(content).toContain('六、其他需要报告的事项');
    expect(content.join('\n')).not.toMatch(/字体|打印本页|关闭窗口|友情链接|版权所有|ICP备/);
    // the CMS box beside the article is chrome, but still read for metadata
    expect(doc.blocks.find((b) => b.kind === 'table')?.chrome).toBe(true);
  });

  it('takes page-tool lines out of the article itself (字体大小, 打印本页), and link lists', async () => {
    const body = '<p>一、总体情况</p><p>本年度，本机关认真贯彻落实《条例》，全面推进政务公开，主动公开政府信息120条。</p>';
    const doc = await html(`<div>${body}<p>【字体：大 中 小】【打印本页】【关闭窗口】</p><p><a href="a">上一篇：关于某事的通知</a></p><p>二、主动公开政府信息情况</p><p>本年度主动公开政府信息情况见下表，全年共发布信息120条。</p></div>`);
    expect(texts(doc, true)).toEqual(['【字体：大 中 小】【打印本页】【关闭窗口】', '上一篇：关于某事的通知']);
  });

  it('a page with no running text marks only landmarks and tool lines', async () => {
    const doc = await html('<nav><a href="/">首页</a></nav><p>一、总体情况</p><p>无</p><footer>版权所有</footer>');
    expect([texts(doc, false), texts(doc, true)]).toEqual([['一、总体情况', '无'], ['首页', '版权所有']]);
  });

  it('one huge paragraph is not taken for the whole article', async () => {
    const long = '本年度，本机关' + '全面推进政务公开，'.repeat(400) + '成效明显。';
    const doc = await html(`<div class="box"><h2>一、总体情况</h2><p>${long}</p><h2>二、主动公开政府信息情况</h2><p>见下表，全年发布信息3条。</p></div><div class="c9">主办：某某县人民政府办公室</div>`);
    expect(texts(doc, false)).toContain('一、总体情况');
  });

  it('gives <title> and og:title as declared titles', async () => {
    const doc = await html('<html><head><title> 某某局2024年政府信息公开工作年度报告_某某市人民政府 </title><meta property="og:title" content="某某局2024年政府信息公开工作年度报告"></head><body><p>正文</p></body></html>');
    expect(doc.declaredTitles).toEqual(['某某局2024年政府信息公开工作年度报告_某某市人民政府', '某某局2024年政府信息公开工作年度报告']);
  });
});

/**
 * Seeded fuzz over page chrome: landmarks as HTML5 tags, named divs or anonymous divs; layout by
 * divs or nested tables; sidebars before, after or inside the article; the title in the body or
 * only in <title>; headings as <p>, <strong> or <h2>. The reading must be the same as on the
 * plainest page, and no chrome text may reach a section.
 */
describe('page chrome fuzz', async () => {
  const plain = reading(await parsePage({ landmarks: 'html5', layout: 'divs', sidebar: 'none', bodyTitle: true, headings: 'p' }));
  for (let seed = 1; seed <= 24; seed++) {
    it(`seed ${seed}`, async () => {
      const o = portalOptions(rng(seed * 104729));
      const r = await parsePage(o);
      const msg = JSON.stringify(o);
      expect([r.report.title, r.report.agency, r.report.year, r.report.publishedAt], msg).toEqual(['XX县人民政府办公室2023年政府信息公开工作年度报告', 'XX县人民政府办公室', 2023, '2024-01-20']);
      for (const k of KEYS) {
        const sec = r.report.sections[k];
        expect(sec, `${k} ${msg}`).not.toBeNull();
        for (const m of CHROME_MARKERS) expect(`${sec!.heading}\n${sec!.text}`, `${k} ${msg}`).not.toContain(m);
      }
      const got = reading(r);
      // Headings are printed as they are marked up; everything else reads the same.
      expect({ ...got, sections: KEYS.map((k) => got.sections[k]!.text) }, msg).toEqual({ ...plain, sections: KEYS.map((k) => plain.sections[k]!.text) });
    });
  }
});

const HOSTILE = sharedDir('hostile');

describe.runIf(!!HOSTILE)('hostile HTML and digit runs (../shared/hostile) end without overflowing the stack', () => {
  const hostile = (name: string) => `${HOSTILE}/${name}`;
  const outcome = async (path: string) => {
    try {
      await parseFile(path);
      return 'parsed';
    } catch (e) {
      if (e instanceof NianbaoError) return e.code;
      throw e;
    }
  };
  for (const name of ['html-deep-div-10k.html', 'html-deep-span-15k.html', 'html-deep-table-3k.html'])
    it(name, async () => {
      expect(await outcome(hostile(name))).toBe('not-report');
    }, 30_000);
  for (const name of ['html-digit-run-150k.html', 'text-digits-150k.txt'])
    it(name, async () => {
      expect(await outcome(hostile(name))).toBe('parsed');
    }, 30_000);

  it('a report nested 20 000 elements deep reads like a flat one', async () => {
    const inner = '<p>一、总体情况</p><p>本年度，本机关全面推进政务公开，成效明显。</p>';
    const doc = await html('<div>'.repeat(10_000) + '<span>'.repeat(10_000) + inner);
    expect(texts(doc, false)).toEqual(['一、总体情况', '本年度，本机关全面推进政务公开，成效明显。']);
    const tables = await html('<table><tr><td>'.repeat(3000) + '<table><tr><td>规章</td><td>5</td></tr></table>');
    expect(tables.blocks.filter((b) => b.kind === 'table')).toHaveLength(1);
  });
});
