/** Model files per folder of a complete ComfyUI install, for the stand-in (the names the workflows load). */
export const WAN_FILES = {
  diffusion_models: ['wan2.2_s2v_14B_fp8_scaled.safetensors'],
  text_encoders: ['umt5_xxl_fp8_e4m3fn_scaled.safetensors'],
  vae: ['wan_2.1_vae.safetensors'],
  audio_encoders: ['wav2vec2_large_english_fp16.safetensors'],
  loras: ['wan2.2_t2v_lightx2v_4steps_lora_v1.1_high_noise.safetensors'],
};

export const LTX_FILES = {
  checkpoints: ['ltx-2.3-22b-dev-fp8.safetensors'],
  loras: ['ltx-2.3-22b-distilled-lora-384.safetensors'],
  text_encoders: ['gemma_3_12B_it_fp4_mixed.safetensors'],
};
