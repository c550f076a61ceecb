/**
 * face-api's two pretrained nets as ONNX graphs, layer for layer as its tfjs code runs them
 * (NHWC there, NCHW here): the 68-point landmark net (four dense blocks of depthwise-separable
 * convolutions + a fully connected layer) and the tiny face detector (a YOLO-style
 * MobileNet head, 5 anchors per cell of a 13×13 grid at 416 px).
 *
 * Padding is written out per layer, because TensorFlow's 'same' with stride 2 pads only at
 * the bottom/right — a symmetric pad would shift every landmark by half a pixel per layer.
 * Both graphs take the padded square image at any size and resize it themselves the way
 * tf.image.resizeBilinear does (asymmetric coordinates, no half-pixel centres).
 */
import { GraphBuilder, type V } from '../graph-builder.js';
import { weight, type TfjsTensor } from './tfjs-weights.js';

type Weights = Map<string, TfjsTensor>;

const FILTER = [3, 2, 0, 1]; // [kh, kw, in, out] → [out, in, kh, kw]
const DEPTHWISE = [2, 3, 0, 1]; // [kh, kw, in, 1] → [in, 1, kh, kw]

/** 'same' pads for a 3×3 kernel: stride 1 → 1 each side; stride 2 on an even size → 0 before, 1 after. */
function samePads(stride: number): number[] {
  return stride === 1 ? [1, 1, 1, 1] : [0, 0, 1, 1];
}

function conv(g: GraphBuilder, x: V, w: V, b: V | undefined, o: { stride?: number; pads?: number[]; group?: number; kernel: number }): V {
  const s = o.stride ?? 1;
  return g.op('Conv', b ? [x, w, b] : [x, w], {
    kernel_shape: [o.kernel, o.kernel], strides: [s, s], pads: o.pads ?? [0, 0, 0, 0], group: o.group ?? 1, dilations: [1, 1],
  });
}

/** tf.separableConv2d + bias: a depthwise 3×3 (carrying the stride) then a pointwise 1×1. */
function separable(g: GraphBuilder, W: Weights, x: V, prefix: string, stride: number, pads: number[]): V {
  const dw = W.get(`${prefix}/depthwise_filter`)!;
  const channels = dw.shape[2]!;
  const depth = conv(g, x, weight(g, W, `${prefix}/depthwise_filter`, DEPTHWISE), undefined, { kernel: 3, stride, pads, group: channels });
  return conv(g, depth, weight(g, W, `${prefix}/pointwise_filter`, FILTER), weight(g, W, `${prefix}/bias`), { kernel: 1 });
}

/** Resize the [1,3,S,S] input to size×size like tf.image.resizeBilinear(alignCorners=false). */
function resizeInput(g: GraphBuilder, image: V, size: number): V {
  return g.op('Resize', [image, '', '', g.i64([1, 3, size, size])], { mode: 'linear', coordinate_transformation_mode: 'asymmetric' });
}

/** (x − mean) / 255 per channel, as face-api normalises. */
function normalise(g: GraphBuilder, x: V, mean: [number, number, number]): V {
  return g.div(g.sub(x, g.f(mean, [1, 3, 1, 1])), g.f(255));
}

/** face-api denseBlock4: out1 = relu(conv0), then three separable convs summed densely. */
function denseBlock4(g: GraphBuilder, W: Weights, x: V, prefix: string, first: boolean): V {
  const pads2 = samePads(2);
  const out1 = g.relu(first
    ? conv(g, x, weight(g, W, `${prefix}/conv0/filters`, FILTER), weight(g, W, `${prefix}/conv0/bias`), { kernel: 3, stride: 2, pads: pads2 })
    : separable(g, W, x, `${prefix}/conv0`, 2, pads2));
  const out2 = separable(g, W, out1, `${prefix}/conv1`, 1, samePads(1));
  const in3 = g.relu(g.add(out1, out2));
  const out3 = separable(g, W, in3, `${prefix}/conv2`, 1, samePads(1));
  const in4 = g.relu(g.add(out1, g.add(out2, out3)));
  const out4 = separable(g, W, in4, `${prefix}/conv3`, 1, samePads(1));
  return g.relu(g.add(out1, g.add(out2, g.add(out3, out4))));
}

/**
 * Input `image` [1,3,S,S] float 0..255: the face crop padded to a square (centred, zeros).
 * Output `landmarks` [1,136]: x,y pairs for the 68 points as fractions of S.
 */
export function buildFaceLandmarks(W: Weights): GraphBuilder {
  const g = new GraphBuilder('face_landmarks_68');
  const image = g.input('image', 'FLOAT', [1, 3, 'S', 'S']);
  let x = normalise(g, resizeInput(g, image, 112), [122.782, 117.001, 104.298]);
  for (let i = 0; i < 4; i++) x = denseBlock4(g, W, x, `dense${i}`, i === 0);
  const pooled = g.op('AveragePool', [x], { kernel_shape: [7, 7], strides: [2, 2] }); // [1,256,1,1]
  const flat = g.reshape(pooled, [1, 256]);
  const fc = g.add(g.op('MatMul', [flat, weight(g, W, 'fc/weights')]), weight(g, W, 'fc/bias'));
  g.output(fc, 'landmarks', 'FLOAT', [1, 136]);
  return g;
}

/** Tiny-YOLO's leaky ReLU (slope 0.1). */
function leaky(g: GraphBuilder, x: V): V {
  return g.op('LeakyRelu', [x], { alpha: 0.10000000149011612 });
}

/** 2×2 max pool, TF 'same' (ceil(n/stride), extra padding at the end). */
function maxPool(g: GraphBuilder, x: V, stride: number): V {
  return g.op('MaxPool', [x], { kernel_shape: [2, 2], strides: [stride, stride], auto_pad: 'SAME_UPPER' });
}

/**
 * Input `image` [1,3,S,S] float 0..255: the photo padded to a square at the bottom/right.
 * Output `grid` [1,25,G,G] (G = size/32): per cell and anchor (x, y, w, h, score) logits.
 */
export function buildFaceDetector(W: Weights, size = 416): GraphBuilder {
  const g = new GraphBuilder('tiny_face_detector');
  const image = g.input('image', 'FLOAT', [1, 3, 'S', 'S']);
  let x = normalise(g, resizeInput(g, image, size), [117.001, 114.697, 97.404]);
  x = leaky(g, conv(g, x, weight(g, W, 'conv0/filters', FILTER), weight(g, W, 'conv0/bias'), { kernel: 3 }));
  for (let i = 1; i <= 5; i++) {
    x = maxPool(g, x, 2);
    x = leaky(g, separable(g, W, x, `conv${i}`, 1, [1, 1, 1, 1]));
  }
  x = maxPool(g, x, 1);
  const out = conv(g, x, weight(g, W, 'conv8/filters', FILTER), weight(g, W, 'conv8/bias'), { kernel: 1 });
  g.output(out, 'grid', 'FLOAT', [1, 25, size / 32, size / 32]);
  return g;
}
