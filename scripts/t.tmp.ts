import sharp from 'sharp';
import { getEngine, recognise } from '../src/ingest/ocr/engine.js';
import { crop } from '../src/ingest/ocr/raster.js';
const e = await getEngine();
const { data, info } = await sharp('/tmp/ocrw/hz-1.jpg').toColourspace('b-w').raw().toBuffer({ resolveWithObject: true });
const g = { data: new Uint8Array(data), width: info.width, height: info.height };
// title at x 130pt, y 121pt → px ×200/72
const x0 = 130 * 200 / 72, y0 = 121 * 200 / 72;
for (const [m, h] of [[5, 50], [15, 50], [25, 50], [35, 50], [15, 60], [25, 65]]) {
  const c = crop(g, x0 - m, y0 - m, x0 + 1000 + m, y0 + h + m);
  const [r] = await recognise(e, [c]);
  console.log(m, h, c.width, c.height, r.text, r.confidence.toFixed(3));
}
