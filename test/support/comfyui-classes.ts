/**
 * STAND-IN DATA, not ComfyUI: the input specs of the ComfyUI v0.8.2 node classes our workflow
 * templates use, written from the recorded /object_info in ../shared/comfyui-protocol (the
 * fidelity test compares them against that recording when it is present). The stand-in
 * server turns them into /object_info answers and validates prompts against them.
 */

/** An input spec in our shorthand; `folder` combos list the stand-in's model files, `uploads` its input files. */
export type InputSpec =
  | { link: string }
  | { int: { default?: number; min?: number; max?: number; step?: number } }
  | { float: { default?: number; min?: number; max?: number; step?: number; round?: number } }
  | { string: { default?: string; multiline?: boolean } }
  | { boolean: { default?: boolean } }
  | { combo: string[]; default?: string }
  | { folder: string; extra?: string[] }
  | { uploads: 'image' | 'audio' };

export interface ClassSpec {
  /** python_module: 'nodes' classes answer combos as [[…], {}], comfy_extras (v3) ones as ["COMBO", {options}]. */
  module: string;
  outputs: string[];
  outputNode?: boolean;
  required: Record<string, InputSpec>;
  optional?: Record<string, InputSpec>;
}

const link = (t: string): InputSpec => ({ link: t });
const MAXI = 9223372036854775807;

export const CLASSES: Record<string, ClassSpec> = {
  // Loaders (the combos list files in the server's model folders).
  UNETLoader: { module: 'nodes', outputs: ['MODEL'], required: { unet_name: { folder: 'diffusion_models' }, weight_dtype: { combo: ['default', 'fp8_e4m3fn', 'fp8_e4m3fn_fast', 'fp8_e5m2'] } } },
  CLIPLoader: {
    module: 'nodes', outputs: ['CLIP'],
    required: { clip_name: { folder: 'text_encoders' }, type: { combo: ['stable_diffusion', 'stable_cascade', 'sd3', 'stable_audio', 'mochi', 'ltxv', 'pixart', 'cosmos', 'lumina2', 'wan', 'hidream', 'chroma', 'ace', 'omnigen2', 'qwen_image', 'hunyuan_image', 'flux2', 'ovis'] } },
    optional: { device: { combo: ['default', 'cpu'] } },
  },
  VAELoader: { module: 'nodes', outputs: ['VAE'], required: { vae_name: { folder: 'vae', extra: ['pixel_space'] } } },
  AudioEncoderLoader: { module: 'comfy_extras.nodes_audio_encoder', outputs: ['AUDIO_ENCODER'], required: { audio_encoder_name: { folder: 'audio_encoders' } } },
  LoraLoaderModelOnly: { module: 'nodes', outputs: ['MODEL'], required: { model: link('MODEL'), lora_name: { folder: 'loras' }, strength_model: { float: { default: 1.0, min: -100.0, max: 100.0, step: 0.01 } } } },
  CheckpointLoaderSimple: { module: 'nodes', outputs: ['MODEL', 'CLIP', 'VAE'], required: { ckpt_name: { folder: 'checkpoints' } } },
  LTXAVTextEncoderLoader: { module: 'comfy_extras.nodes_lt_audio', outputs: ['CLIP'], required: { text_encoder: { folder: 'text_encoders' }, ckpt_name: { folder: 'checkpoints' }, device: { combo: ['default', 'cpu'] } } },
  LTXVAudioVAELoader: { module: 'comfy_extras.nodes_lt_audio', outputs: ['VAE'], required: { ckpt_name: { folder: 'checkpoints' } } },
  // Inputs.
  LoadImage: { module: 'nodes', outputs: ['IMAGE', 'MASK'], required: { image: { uploads: 'image' } } },
  LoadAudio: { module: 'comfy_extras.nodes_audio', outputs: ['AUDIO'], required: { audio: { uploads: 'audio' } } },
  PrimitiveInt: { module: 'comfy_extras.nodes_primitive', outputs: ['INT'], required: { value: { int: { min: -MAXI, max: MAXI } } } },
  PrimitiveFloat: { module: 'comfy_extras.nodes_primitive', outputs: ['FLOAT'], required: { value: { float: { min: -MAXI, max: MAXI, step: 0.1 } } } },
  CLIPTextEncode: { module: 'nodes', outputs: ['CONDITIONING'], required: { text: { string: { multiline: true } }, clip: link('CLIP') } },
  AudioEncoderEncode: { module: 'comfy_extras.nodes_audio_encoder', outputs: ['AUDIO_ENCODER_OUTPUT'], required: { audio_encoder: link('AUDIO_ENCODER'), audio: link('AUDIO') } },
  // Wan 2.2 S2V.
  ModelSamplingSD3: { module: 'comfy_extras.nodes_model_advanced', outputs: ['MODEL'], required: { model: link('MODEL'), shift: { float: { default: 3.0, min: 0.0, max: 100.0, step: 0.01 } } } },
  WanSoundImageToVideo: {
    module: 'comfy_extras.nodes_wan', outputs: ['CONDITIONING', 'CONDITIONING', 'LATENT'],
    required: {
      positive: link('CONDITIONING'), negative: link('CONDITIONING'), vae: link('VAE'),
      width: { int: { default: 832, min: 16, max: 16384, step: 16 } }, height: { int: { default: 480, min: 16, max: 16384, step: 16 } },
      length: { int: { default: 77, min: 1, max: 16384, step: 4 } }, batch_size: { int: { default: 1, min: 1, max: 4096 } },
    },
    optional: { audio_encoder_output: link('AUDIO_ENCODER_OUTPUT'), ref_image: link('IMAGE'), control_video: link('IMAGE'), ref_motion: link('IMAGE') },
  },
  WanSoundImageToVideoExtend: {
    module: 'comfy_extras.nodes_wan', outputs: ['CONDITIONING', 'CONDITIONING', 'LATENT'],
    required: { positive: link('CONDITIONING'), negative: link('CONDITIONING'), vae: link('VAE'), length: { int: { default: 77, min: 1, max: 16384, step: 4 } }, video_latent: link('LATENT') },
    optional: { audio_encoder_output: link('AUDIO_ENCODER_OUTPUT'), ref_image: link('IMAGE'), control_video: link('IMAGE') },
  },
  KSampler: {
    module: 'nodes', outputs: ['LATENT'],
    required: {
      model: link('MODEL'), seed: { int: { default: 0, min: 0, max: 18446744073709551615 } }, steps: { int: { default: 20, min: 1, max: 10000 } },
      cfg: { float: { default: 8.0, min: 0.0, max: 100.0, step: 0.1, round: 0.01 } },
      sampler_name: { combo: ['euler', 'euler_cfg_pp', 'euler_ancestral', 'heun', 'dpm_2', 'lms', 'dpmpp_2m', 'dpmpp_2m_sde', 'ddim', 'uni_pc', 'uni_pc_bh2', 'res_multistep'] },
      scheduler: { combo: ['simple', 'sgm_uniform', 'karras', 'exponential', 'ddim_uniform', 'beta', 'normal', 'linear_quadratic', 'kl_optimal'] },
      positive: link('CONDITIONING'), negative: link('CONDITIONING'), latent_image: link('LATENT'),
      denoise: { float: { default: 1.0, min: 0.0, max: 1.0, step: 0.01 } },
    },
  },
  LatentConcat: { module: 'comfy_extras.nodes_latent', outputs: ['LATENT'], required: { samples1: link('LATENT'), samples2: link('LATENT'), dim: { combo: ['x', '-x', 'y', '-y', 't', '-t'] } } },
  LatentCut: { module: 'comfy_extras.nodes_latent', outputs: ['LATENT'], required: { samples: link('LATENT'), dim: { combo: ['x', 'y', 't'] }, index: { int: { default: 0, min: -16384, max: 16384, step: 1 } }, amount: { int: { default: 1, min: 1, max: 16384, step: 1 } } } },
  VAEDecode: { module: 'nodes', outputs: ['IMAGE'], required: { samples: link('LATENT'), vae: link('VAE') } },
  ImageFromBatch: { module: 'comfy_extras.nodes_images', outputs: ['IMAGE'], required: { image: link('IMAGE'), batch_index: { int: { default: 0, min: 0, max: 4095 } }, length: { int: { default: 1, min: 1, max: 4096 } } } },
  // LTX-2 audio-video.
  LTXVAudioVAEEncode: { module: 'comfy_extras.nodes_lt_audio', outputs: ['LATENT'], required: { audio: link('AUDIO'), audio_vae: link('VAE') } },
  EmptyLTXVLatentVideo: {
    module: 'comfy_extras.nodes_lt', outputs: ['LATENT'],
    required: { width: { int: { default: 768, min: 64, max: 16384, step: 32 } }, height: { int: { default: 512, min: 64, max: 16384, step: 32 } }, length: { int: { default: 97, min: 1, max: 16384, step: 8 } }, batch_size: { int: { default: 1, min: 1, max: 4096 } } },
  },
  LTXVConditioning: { module: 'comfy_extras.nodes_lt', outputs: ['CONDITIONING', 'CONDITIONING'], required: { positive: link('CONDITIONING'), negative: link('CONDITIONING'), frame_rate: { float: { default: 25.0, min: 0.0, max: 1000.0, step: 0.01 } } } },
  LTXVConcatAVLatent: { module: 'comfy_extras.nodes_lt', outputs: ['LATENT'], required: { video_latent: link('LATENT'), audio_latent: link('LATENT') } },
  LTXVSeparateAVLatent: { module: 'comfy_extras.nodes_lt', outputs: ['LATENT', 'LATENT'], required: { av_latent: link('LATENT') } },
  LTXVPreprocess: { module: 'comfy_extras.nodes_lt', outputs: ['IMAGE'], required: { image: link('IMAGE'), img_compression: { int: { default: 35, min: 0, max: 100 } } } },
  LTXVImgToVideoInplace: { module: 'comfy_extras.nodes_lt', outputs: ['LATENT'], required: { vae: link('VAE'), image: link('IMAGE'), latent: link('LATENT'), strength: { float: { default: 1.0, min: 0.0, max: 1.0 } }, bypass: { boolean: { default: false } } } },
  // Output.
  CreateVideo: { module: 'comfy_extras.nodes_video', outputs: ['VIDEO'], required: { images: link('IMAGE'), fps: { float: { default: 30.0, min: 1.0, max: 120.0, step: 1.0 } } }, optional: { audio: link('AUDIO') } },
  SaveVideo: {
    module: 'comfy_extras.nodes_video', outputs: [], outputNode: true,
    required: { video: link('VIDEO'), filename_prefix: { string: { default: 'video/ComfyUI' } }, format: { combo: ['auto', 'mp4'], default: 'auto' }, codec: { combo: ['auto', 'h264'], default: 'auto' } },
  },
};

/** The /object_info entry of a class, in the shape ComfyUI answers (v3 classes have the extra keys). */
export function objectInfoOf(name: string, spec: ClassSpec, lists: { folder(f: string): string[]; uploads(kind: 'image' | 'audio'): string[] }): Record<string, unknown> {
  const v3 = spec.module !== 'nodes' && spec.module !== 'comfy_extras.nodes_model_advanced';
  const render = (s: InputSpec): unknown[] => {
    const combo = (options: string[], extra: Record<string, unknown> = {}) => (v3 ? ['COMBO', { multiselect: false, options, ...extra }] : [options, extra]);
    if ('link' in s) return v3 ? [s.link, {}] : [s.link];
    if ('int' in s) return ['INT', s.int];
    if ('float' in s) return ['FLOAT', s.float];
    if ('string' in s) return ['STRING', s.string];
    if ('boolean' in s) return ['BOOLEAN', s.boolean];
    if ('combo' in s) return combo(s.combo, s.default !== undefined ? { default: s.default } : {});
    if ('folder' in s) return combo([...lists.folder(s.folder), ...(s.extra ?? [])]);
    return combo(lists.uploads(s.uploads), s.uploads === 'image' ? { image_upload: true } : { audio_upload: true });
  };
  const section = (r: Record<string, InputSpec> | undefined) => (r ? Object.fromEntries(Object.entries(r).map(([k, v]) => [k, render(v)])) : undefined);
  const input: Record<string, unknown> = { required: section(spec.required) };
  if (spec.optional) input.optional = section(spec.optional);
  const order: Record<string, string[]> = { required: Object.keys(spec.required) };
  if (spec.optional) order.optional = Object.keys(spec.optional);
  return {
    input, input_order: order, output: spec.outputs, output_is_list: spec.outputs.map(() => false), output_name: spec.outputs,
    name, display_name: name, description: '', python_module: spec.module, category: '', output_node: !!spec.outputNode,
    ...(v3 ? { output_tooltips: spec.outputs.map(() => null), output_matchtypes: null, deprecated: false, experimental: false, api_node: false } : {}),
  };
}

/** Which model folder a loader input reads, for preflight hints and the stand-in's load failures. */
export function folderInputs(spec: ClassSpec): Array<{ input: string; folder: string }> {
  return Object.entries(spec.required).flatMap(([input, s]) => ('folder' in s ? [{ input, folder: s.folder }] : []));
}
