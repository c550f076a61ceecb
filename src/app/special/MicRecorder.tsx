/**
 * Mic node body: record / stop with a live level meter and elapsed time, then the take is
 * uploaded as an asset and becomes the node's file param. Re-record replaces it.
 */
import { useEffect, useRef, useState } from 'react';
import type { SpecialProps } from './registry.js';
import { fileUrl, uploadAsset } from '../api/client.js';
import { announce } from '../state/status.js';
import { Waveform } from './Waveform.js';
import { toWav } from './wav.js';

function pickMime(): string {
  for (const m of ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4']) {
    if (typeof MediaRecorder !== 'undefined' && MediaRecorder.isTypeSupported(m)) return m;
  }
  return '';
}

export function MicRecorder({ node, info, setParam }: SpecialProps) {
  const param = info.fileParams[0] ?? Object.keys(info.params).find((k) => /path|file/i.test(k)) ?? 'path';
  const path = String(node.params[param] ?? '');
  const [state, setState] = useState<'idle' | 'recording' | 'uploading'>('idle');
  const [level, setLevel] = useState(0);
  const [elapsed, setElapsed] = useState(0);
  const stopRef = useRef<(() => void) | null>(null);

  useEffect(() => () => stopRef.current?.(), []);

  const start = async () => {
    let stream: MediaStream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: { echoCancellation: false, noiseSuppression: false, autoGainControl: false } });
    } catch (e) {
      announce(`Microphone unavailable: ${(e as Error).message}`, 'error');
      return;
    }
    const mime = pickMime();
    const rec = new MediaRecorder(stream, mime ? { mimeType: mime } : undefined);
    const chunks: Blob[] = [];
    const ac = new AudioContext();
    const analyser = ac.createAnalyser();
    analyser.fftSize = 1024;
    ac.createMediaStreamSource(stream).connect(analyser);
    const buf = new Float32Array(analyser.fftSize);
    const t0 = performance.now();
    let raf = 0;
    const tick = () => {
      analyser.getFloatTimeDomainData(buf);
      let sum = 0;
      for (const v of buf) sum += v * v;
      setLevel(Math.min(1, Math.sqrt(sum / buf.length) * 4));
      setElapsed((performance.now() - t0) / 1000);
      raf = requestAnimationFrame(tick);
    };
    raf = requestAnimationFrame(tick);
    rec.ondataavailable = (e) => e.data.size && chunks.push(e.data);
    rec.onstop = async () => {
      cancelAnimationFrame(raf);
      stream.getTracks().forEach((t) => t.stop());
      void ac.close();
      setLevel(0);
      stopRef.current = null;
      setState('uploading');
      const type = rec.mimeType || 'audio/webm';
      let take = new Blob(chunks, { type });
      let ext = type.includes('ogg') ? 'ogg' : type.includes('mp4') ? 'm4a' : 'webm';
      try {
        take = await toWav(take);
        ext = 'wav';
      } catch {
        /* keep the compressed take; the node can still read it */
      }
      try {
        const asset = await uploadAsset(take, `mic-${node.id}-${Date.now()}.${ext}`);
        setParam(param, asset.path);
        announce(`Recording saved on ${node.id}`);
      } catch (e) {
        announce(`Upload of the recording failed: ${(e as Error).message}`, 'error');
      } finally {
        setState('idle');
      }
    };
    stopRef.current = () => rec.state !== 'inactive' && rec.stop();
    rec.start(250);
    setElapsed(0);
    setState('recording');
  };

  return (
    <div className="mic nodrag">
      <div className="mic-bar">
        {state === 'recording' ? (
          <button type="button" className="btn small danger" onClick={() => stopRef.current?.()} aria-label={`Stop recording on ${node.id}`}>
            ■ Stop
          </button>
        ) : (
          <button type="button" className="btn small" disabled={state === 'uploading'} onClick={() => void start()} aria-label={`${path ? 'Re-record' : 'Record'} on ${node.id}`}>
            ● {path ? 'Re-record' : 'Record'}
          </button>
        )}
        <meter className="level" min={0} max={1} value={level} aria-label="Input level" />
        <span className="time" role="timer" aria-label="Recording time">
          {state === 'uploading' ? 'saving…' : `${elapsed.toFixed(1)} s`}
        </span>
      </div>
      {path && state === 'idle' && <Waveform url={fileUrl(path)} label={`recording of ${node.id}`} height={40} />}
    </div>
  );
}
