/**
 * MediaRecorder's WebM has no duration in its header, which makes probing tools report
 * zero length; a decoded 16-bit PCM WAV has an exact length and is what the Mic node uploads.
 */
export async function toWav(blob: Blob): Promise<Blob> {
  const ac = new OfflineAudioContext(1, 1, 48_000);
  const buf = await ac.decodeAudioData(await blob.arrayBuffer());
  const channels = Math.min(2, buf.numberOfChannels);
  const frames = buf.length;
  const bytes = 44 + frames * channels * 2;
  const out = new DataView(new ArrayBuffer(bytes));
  const str = (o: number, s: string) => [...s].forEach((c, i) => out.setUint8(o + i, c.charCodeAt(0)));
  str(0, 'RIFF');
  out.setUint32(4, bytes - 8, true);
  str(8, 'WAVE');
  str(12, 'fmt ');
  out.setUint32(16, 16, true);
  out.setUint16(20, 1, true);
  out.setUint16(22, channels, true);
  out.setUint32(24, buf.sampleRate, true);
  out.setUint32(28, buf.sampleRate * channels * 2, true);
  out.setUint16(32, channels * 2, true);
  out.setUint16(34, 16, true);
  str(36, 'data');
  out.setUint32(40, frames * channels * 2, true);
  const data = Array.from({ length: channels }, (_, c) => buf.getChannelData(c));
  let o = 44;
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const v = Math.max(-1, Math.min(1, data[c]![i]!));
      out.setInt16(o, v < 0 ? v * 0x8000 : v * 0x7fff, true);
      o += 2;
    }
  }
  return new Blob([out.buffer], { type: 'audio/wav' });
}
