/**
 * A trainable 3×3 atrous (dilated) convolution layer for tfjs-layers.
 *
 * tfjs-core 4.22 refuses the gradient of `conv2d` with `dilationRate > 1` on every backend, so
 * `tf.layers.conv2d({dilationRate: 2})` fails at the first training step. This layer computes the
 * same thing the way TensorFlow itself lowers dilated convolutions:
 *
 *   pad by `d` on each side ('same' for a 3×3 kernel dilated by d) plus whatever makes the padded
 *   size divisible by d → `spaceToBatchND` with block d → 'valid' 3×3 conv → `batchToSpaceND`
 *   (cropping the extra padding).
 *
 * Every op in that chain has a gradient, so the layer trains. The result equals
 * `tf.conv2d(x, w, 1, "same", "NHWC", d)` (see atrous_test.ts), which is what runs on a backend whose
 * Conv2D gradient supports dilation (it says so with `dilatedConvGradient: true`: the torch backend).
 * The class is registered with `tf.serialization`, so models containing it save and load like any other.
 *
 * @example
 * ```ts
 * const y = new AtrousConv2D({ filters: 16, dilation: 3, name: "rec/atrous1" }).apply(x);
 * ```
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { initializers, layers, type Shape } from "@tensorflow/tfjs-layers";

/** Constructor options of {@link AtrousConv2D}. */
export interface AtrousConv2DArgs {
  /** Output channels. */
  filters: number;
  /** Dilation rate d ≥ 1 (1 is an ordinary 3×3 conv). */
  dilation: number;
  /** Add a bias (off when a BatchNorm follows). Default false. */
  useBias?: boolean;
  /** Seed of the He-normal kernel initialiser. Default 0. */
  seed?: number;
  /** Layer name. */
  name?: string;
  /** Whether the weights train. Default true. */
  trainable?: boolean;
}

/**
 * 3×3 convolution with dilation `d`, stride 1, 'same' padding, NHWC, computed via
 * space-to-batch so that its gradient exists in tfjs.
 *
 * @example
 * ```ts
 * const layer = new AtrousConv2D({ filters: 8, dilation: 2 });
 * const out = layer.apply(tf.zeros([1, 9, 9, 4])) as tf.Tensor; // [1, 9, 9, 8]
 * ```
 */
export class AtrousConv2D extends layers.Layer {
  /** Name used by tf.serialization (must stay stable: saved model.json files refer to it). */
  static className = "AtrousConv2D";
  readonly filters: number;
  readonly dilation: number;
  readonly useBias: boolean;
  readonly seed: number;
  private kernel: ReturnType<layers.Layer["addWeight"]> | null = null;
  private bias: ReturnType<layers.Layer["addWeight"]> | null = null;

  constructor(args: AtrousConv2DArgs) {
    super({ name: args.name, trainable: args.trainable ?? true });
    if (!Number.isInteger(args.filters) || args.filters < 1) {
      throw new Error(`AtrousConv2D: filters must be a positive integer, got ${args.filters}`);
    }
    if (!Number.isInteger(args.dilation) || args.dilation < 1) {
      throw new Error(`AtrousConv2D: dilation must be a positive integer, got ${args.dilation}`);
    }
    this.filters = args.filters;
    this.dilation = args.dilation;
    this.useBias = args.useBias ?? false;
    this.seed = args.seed ?? 0;
  }

  override build(inputShape: Shape | Shape[]): void {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    const cin = shape[shape.length - 1];
    if (cin == null) throw new Error(`AtrousConv2D ${this.name}: the channel dimension must be known`);
    this.kernel = this.addWeight(
      "kernel",
      [3, 3, cin, this.filters],
      "float32",
      initializers.heNormal({ seed: this.seed }),
    );
    if (this.useBias) this.bias = this.addWeight("bias", [this.filters], "float32", initializers.zeros());
    this.built = true;
  }

  override computeOutputShape(inputShape: Shape | Shape[]): Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as Shape;
    return [...shape.slice(0, -1), this.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor4D;
      const w = this.kernel!.read() as tf.Tensor4D;
      let y = atrousConv3x3(x, w, this.dilation);
      if (this.bias) y = tf.add(y, this.bias.read());
      return y;
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      filters: this.filters,
      dilation: this.dilation,
      useBias: this.useBias,
      seed: this.seed,
    };
  }
}
tf.serialization.registerClass(AtrousConv2D);

/**
 * The functional form: 3×3 conv of `x` [N,H,W,C] with kernel `w` [3,3,C,F], dilation `d`,
 * 'same' padding, differentiable for every d.
 *
 * @example
 * ```ts
 * const y = atrousConv3x3(x, w, 4); // same as tf.conv2d(x, w, 1, "same", "NHWC", 4)
 * ```
 */
export function atrousConv3x3(x: tf.Tensor4D, w: tf.Tensor4D, d: number): tf.Tensor4D {
  if (w.shape[0] !== 3 || w.shape[1] !== 3) {
    throw new Error(`atrousConv3x3: kernel must be [3,3,C,F], got [${w.shape}]`);
  }
  if (d === 1) return tf.conv2d(x, w, 1, "same");
  // A backend whose Conv2D gradient takes dilation (the torch backend) runs the dilated conv directly.
  if ((tf.backend() as { dilatedConvGradient?: boolean }).dilatedConvGradient) {
    return tf.conv2d(x, w, 1, "same", "NHWC", d);
  }
  const [, h, wd] = x.shape;
  // 'same' for an effective kernel of 2d+1 needs d on each side; extra bottom/right padding
  // makes the padded size a multiple of the block d and is cropped again afterwards.
  const extraH = (d - (h % d)) % d;
  const extraW = (d - (wd % d)) % d;
  const s2b = tf.spaceToBatchND(x, [d, d], [[d, d + extraH], [d, d + extraW]]);
  const conv = tf.conv2d(s2b as tf.Tensor4D, w, 1, "valid");
  return tf.batchToSpaceND(conv, [d, d], [[0, extraH], [0, extraW]]) as tf.Tensor4D;
}
