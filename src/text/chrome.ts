/**
 * Lines that web pages print around an article and no report prints: page tools,
 * footers, navigation headings. Shared by the HTML adapter (which marks such blocks
 * as chrome) and the recognizer (which keeps such lines of a page saved as text out
 * of the sections). Kept narrow on purpose: a report's own sentence about its
 * website ("对政府网站友情链接进行全面排查") must never match.
 */

/** Tool and footer words that open a line. */
const OPENS = /^[\s【\[(（|｜·•>*#-]*(?:字体|字号|打印|关闭|友情链接|网站地图|版权所有|主办单位|主办[:：]|承办单位|承办[:：]|协办单位|技术支持[:：]|维护[:：]|扫一扫|分享到|上一篇|下一篇|返回顶部|返回首页|设为首页|加入收藏|浏览次数|访问次数|阅读次数|点击数|访问量|浏览量|联系我们|网站声明|隐私(?:政策|声明)|无障碍|适老化|关怀版|长者模式|我要纠错|Copyright|©)/i;
/** Furniture that is unmistakable wherever it stands in a line. */
const ANYWHERE = /ICP备\s*\d|ICP证|公网安备\s*\d|网站标识码[:：]?\s*[\dA-Za-z]|[【\[]\s*大\s*中\s*小\s*[】\]]|打印本页|打印此页|关闭窗口|【打印】|【关闭】|\[打印\]|\[关闭\]/i;
/** A heading of a sidebar box: the whole line. */
const BOX_HEADING = /^(?:相关(?:链接|文章|阅读|信息|文件|新闻|推荐|稿件)|推荐阅读|热点(?:信息|新闻)|热门(?:信息|文章)|最新(?:信息|文章|动态)|扫码阅读|手机版)$/;

/** Whether a line (a whole paragraph) is page furniture. */
export function isPageTool(text: string): boolean {
  const t = text.trim();
  if (t.length === 0 || t.length > 160) return false;
  return OPENS.test(t) || ANYWHERE.test(t) || BOX_HEADING.test(t.replace(/\s+/g, ''));
}
