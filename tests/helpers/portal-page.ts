/**
 * Government portal pages around a report, with the furniture real CMS templates
 * print: site navigation, breadcrumb, a CMS box (索引号/发布机构), an info bar with
 * 字体大小 and 打印本页, a sidebar of related links (other years' reports among them),
 * bottom tools and a footer with 友情链接, 主办单位, 版权所有 and the ICP number.
 * Seeded: landmarks as HTML5 tags or as divs with or without furniture class names,
 * layout by divs or by nested tables, sidebar before or after the article, title in
 * the body or only in <title>.
 */
import { DEFAULT_META, TABLES, narrative, sampleValues, tableHtml, type FillValues, type ReportMeta } from './fill-template.js';

/** Text that only the page chrome prints: none of it may reach a section. */
export const CHROME_MARKERS = ['网站首页', '走进本县', '互动交流', '当前位置', '字体', '打印本页', '关闭窗口', '相关链接', '2022年政府信息公开工作年度报告', '友情链接', '主办单位', '版权所有', 'ICP备', '公网安备', '网站标识码', '扫一扫'];

export interface PortalOptions {
  values?: FillValues;
  meta?: ReportMeta;
  /** Landmark markup: HTML5 tags, divs with furniture class names, or divs with meaningless ones. */
  landmarks?: 'html5' | 'classes' | 'anonymous';
  layout?: 'divs' | 'tables';
  sidebar?: 'before' | 'after' | 'inside' | 'none';
  /** Whether the body prints the title (otherwise only <title> and og:title do). */
  bodyTitle?: boolean;
  /** How headings are marked up. */
  headings?: 'p' | 'strong' | 'h2';
}

export function pick<T>(r: () => number, xs: readonly T[]): T {
  return xs[Math.floor(r() * xs.length)];
}

export function portalOptions(r: () => number): PortalOptions {
  return {
    landmarks: pick(r, ['html5', 'classes', 'anonymous'] as const),
    layout: pick(r, ['divs', 'tables'] as const),
    sidebar: pick(r, ['before', 'after', 'inside', 'none'] as const),
    bodyTitle: r() < 0.6,
    headings: pick(r, ['p', 'strong', 'h2'] as const),
  };
}

let anon = 0;

export function portalPage(o: PortalOptions = {}): string {
  const values = o.values ?? sampleValues(3);
  const meta = o.meta ?? DEFAULT_META;
  const n = narrative(meta);
  const lm = o.landmarks ?? 'classes';
  const box = (tag: 'nav' | 'aside' | 'footer' | 'header', cls: string, body: string) =>
    lm === 'html5' ? `<${tag} class="${cls}">${body}</${tag}>` : `<div class="${lm === 'classes' ? cls : `c${++anon}`}">${body}</div>`;
  const links = (xs: string[]) => `<ul>${xs.map((x) => `<li><a href="/${encodeURIComponent(x)}.html">${x}</a></li>`).join('')}</ul>`;

  const header = box('header', 'header', `<div class="logo"><img src="logo.png" alt=""></div>${box('nav', 'nav', links(['网站首页', '走进本县', '政务公开', '政务服务', '互动交流']))}`);
  const crumb = `<div class="${lm === 'anonymous' ? `c${++anon}` : 'crumb'}">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a href="/nb">政府信息公开年报</a></div>`;
  const cms = `<table class="xxgk_table"><tr><td>索&nbsp;引&nbsp;号：</td><td>11320000MB0000000X/${meta.year + 1}-00012</td><td>发布机构：</td><td>${n.signature[0]}</td></tr><tr><td>公开日期：</td><td>${n.published}</td><td>分&nbsp;&nbsp;类：</td><td>政府信息公开年报</td></tr></table>`;
  const info = `<div class="${lm === 'anonymous' ? `c${++anon}` : 'info'}">发布时间：${n.published} 来源：${n.signature[0]} 字体：[<a href="#">大</a> <a href="#">中</a> <a href="#">小</a>] <a href="javascript:print()">打印本页</a></div>`;
  const sidebar = box('aside', 'sidebar', `<h3>相关链接</h3>${links([`${meta.agency}2022年政府信息公开工作年度报告`, `${meta.agency}2021年政府信息公开工作年度报告`, '政府信息公开指南'])}<p>扫一扫在手机打开当前页</p>`);
  const tools = `<div class="${lm === 'anonymous' ? `c${++anon}` : 'tools'}"><a href="javascript:print()">【打印本页】</a> <a href="javascript:close()">【关闭窗口】</a></div>`;
  const footer = box(
    'footer',
    'footer',
    `<p>友情链接：<a href="#">中国政府网</a> <a href="#">省政府</a> <a href="#">市政府</a></p>` +
      `<p>主办单位：${meta.agency}　地址：某某县人民路1号　电话：0000-1234567</p>` +
      `<p>版权所有：某某县人民政府，未经许可不得复制，转载请注明出处。</p>` +
      `<p>苏ICP备12345678号　苏公网安备32000002000001号　网站标识码：3200000001</p>`,
  );

  const heading = (h: string) => (o.headings === 'h2' ? `<h2>${h}</h2>` : o.headings === 'strong' ? `<p><strong>${h}</strong></p>` : `<p>${h}</p>`);
  const s = n.sections;
  const content = [
    heading(s[0].heading),
    `<p style="text-indent:2em">${s[0].text}</p>`,
    heading(s[1].heading),
    `<p>${s[1].text}</p>`,
    tableHtml(TABLES[0], values, 'p'),
    heading(s[2].heading),
    `<p>${s[2].text}</p>`,
    tableHtml(TABLES[1], values, 'p'),
    heading(s[3].heading),
    `<p>${s[3].text}</p>`,
    tableHtml(TABLES[2], values, 'p'),
    heading(s[4].heading),
    `<p>${s[4].text}</p>`,
    heading(s[5].heading),
    `<p>${s[5].text}</p>`,
    `<p style="text-align:right">${n.signature[0]}</p>`,
    `<p style="text-align:right">${n.signature[1]}</p>`,
  ].join('\n');
  const article = [
    o.bodyTitle === false ? '' : `<h1 class="title">${n.title}</h1>`,
    info,
    `<div class="TRS_Editor">${content}</div>`,
    o.sidebar === 'inside' ? sidebar : '',
    tools,
  ].join('\n');
  const side = o.sidebar === 'before' || o.sidebar === 'after' ? sidebar : '';
  const main =
    o.layout === 'tables'
      ? `<table width="1000"><tr>${o.sidebar === 'before' ? `<td width="250">${side}</td>` : ''}<td>${article}</td>${o.sidebar === 'after' ? `<td width="250">${side}</td>` : ''}</tr></table>`
      : `<div class="${lm === 'anonymous' ? `c${++anon}` : 'main'}">${o.sidebar === 'before' ? side : ''}<div class="${lm === 'anonymous' ? `c${++anon}` : 'article'}">${article}</div>${o.sidebar === 'after' ? side : ''}</div>`;
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>${n.title}_${meta.agency}</title>
<meta property="og:title" content="${n.title}">
<script>var _hmt = _hmt || [];</script>
</head>
<body>
${header}
${crumb}
${cms}
${main}
${footer}
</body>
</html>`;
}
