#!/usr/bin/env bash
# Builds graphs/assets/demo-speech.wav for the lip-sync template: espeak-ng speech (16 kHz mono)
# with short pauses between sentences, so the mouth has both talking and resting to show.
# Needs espeak-ng and sox (apt-get install espeak-ng sox).
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
export LC_ALL=C
trap 'rm -rf "$tmp"' EXIT
i=0
for line in \
  "Hello, and welcome to S 2 V Studio." \
  "The sound you hear sets the timing of the picture." \
  "When I speak, the mouth opens and closes." \
  "When I pause, it rests."; do
  espeak-ng -v en-us -s 150 -w "$tmp/$i.wav" "$line"
  sox "$tmp/$i.wav" -r 16000 -c 1 "$tmp/r$i.wav" pad 0 0.6
  i=$((i + 1))
done
sox "$tmp"/r*.wav "$tmp/dry.wav" fade t 0.02 0 0.05
# Light room tone (about -50 dB pink noise): digital silence between phrases is a known way to
# freeze lip-sync in diffusion models, and our own health check warns about it.
len=$(soxi -D "$tmp/dry.wav")
sox -n -r 16000 -c 1 "$tmp/room.wav" synth "$len" pinknoise vol 0.006
sox -m "$tmp/dry.wav" "$tmp/room.wav" "$tmp/speech.wav"
mv "$tmp/speech.wav" demo-speech.wav
echo "wrote $(pwd)/demo-speech.wav"
