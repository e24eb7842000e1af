/**
 * Large hostile inputs, generated (never committed): a junk text file and a small
 * DOCX whose main part inflates to over 100 MB of XML. Used by bench/hostile.ts (time
 * and peak RSS of `nianbao parse` on them) and tests/hostile-large.test.ts (outcome).
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { rng } from './mutate.js';

/** `mb` MB of printable junk: ASCII words and CJK characters, lines of varying length, no 公开. */
export function junkText(mb: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const cjk = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月';
  // One random MB, repeated: the size is what costs a reader, and generating it must not.
  const out = Buffer.alloc(Math.min(mb, 1) * 1048576);
  let o = 0;
  while (o < out.length - 8) {
    if (r() < 0.5) {
      const w = Math.floor(r() * 10) + 1;
      for (let i = 0; i < w && o < out.length - 1; i++) out[o++] = 97 + Math.floor(r() * 26);
      out[o++] = r() < 0.1 ? 0x0a : 0x20;
    } else {
      const ch = cjk[Math.floor(r() * cjk.length)];
      o += out.write(ch, o, 'utf8');
      if (r() < 0.02) out[o++] = 0x0a;
    }
  }
  const block = out.subarray(0, o);
  return new Uint8Array(Buffer.concat(Array(Math.max(1, Math.round(mb))).fill(block)));
}

/**
 * A DOCX of a few hundred KB whose word/document.xml is `mb` MB of repeated paragraphs
 * (`title` first: with a report title the declared size still refuses it).
 */
export function hugeXmlDocx(mb: number, title = ''): Uint8Array {
  const para = '<w:p><w:r><w:t>第一章 总则 第一条 为了规范管理，根据有关规定，制定本办法。</w:t></w:r></w:p>';
  const n = Math.ceil((mb * 1048576) / Buffer.byteLength(para));
  const head = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${title ? `<w:p><w:r><w:t>${title}</w:t></w:r></w:p>` : ''}`;
  const xml = Buffer.from(head + para.repeat(n) + '</w:body></w:document>');
  const ct = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>';
  // Deflated natively: fflate's level 9 over 118 MB takes half a minute.
  return zipWithDeflated([
    { name: '[Content_Types].xml', data: Buffer.from(ct) },
    { name: 'word/document.xml', data: xml },
  ]);
}

/** A zip whose entries are deflated by node:zlib, with true sizes and CRCs. */
function zipWithDeflated(entries: Array<{ name: string; data: Buffer }>): Uint8Array {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const comp = deflateRawSync(e.data, { level: 6 });
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(comp.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(comp.length, 20);
    dir.writeUInt32LE(e.data.length, 24);
    dir.writeUInt16LE(name.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, comp);
    central.push(dir, name);
    offset += 30 + name.length + comp.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, cd, end]));
}
