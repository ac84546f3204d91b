"""Writes the reference values that jgrad's audio tests compare with.

Run from this folder with Debian's PyTorch (apt-get install python3-torch):

    /usr/bin/python3 make_audio_fixtures.py

stft_refs.txt: torch.stft(x, n_fft, hop_length, win_length, window=torch.hann_window(win_length)
    (periodic), center, pad_mode="reflect", onesided=True, return_complex=True) of float32 signals:
        case <name> <n_fft> <hop> <win> <center 0|1> <length>
        signal <values>
        real <values, [freq, frame] order>
        imag <values>
mel_refs.txt: mel filterbanks and mel spectrograms. torchaudio is not packaged for Debian here, so the
    filterbank is computed by the code below, a transcription of torchaudio.functional.melscale_fbanks
    (torchaudio 2.x: linspace of bins up to sample_rate // 2, mel edges equally spaced, triangles
    max(0, min(down, up)), optional "slaney" area normalisation; HTK or Slaney mel scale), in float64;
    the mel spectrogram is (torch.stft power spectrogram)^T @ filterbank, as torchaudio's
    MelScale does, in float64:
        fbank <name> <n_freqs> <f_min> <f_max> <n_mels> <sample_rate> <htk|slaney> <none|slaney>
        weights <values, [n_freqs, n_mels] order>
        melspec <name> <sample_rate> <n_fft> <hop> <n_mels> <length>
        signal <values>
        mel <values, [n_mels, frame] order>
        db <10*log10(clamp(mel, 1e-10)) with top_db 80, AmplitudeToDB's formula>
wav/*.wav: small files written by Python's wave module (integer PCM) and by hand (float32), with
    wav_refs.txt: <file> <channels> <rate> then the samples as floats, [frame, channel] order.
"""
import math
import struct
import wave

import numpy as np
import torch


def fmt(values):
    return " ".join(repr(float(v)) for v in np.asarray(values).ravel())


def signal(rng, n):
    t = np.arange(n)
    x = 0.5 * np.sin(2 * np.pi * 0.013 * t) + 0.3 * np.sin(2 * np.pi * 0.21 * t + 1) + 0.1 * rng.standard_normal(n)
    return x.astype(np.float32)


def hz_to_mel(f, scale):
    if scale == "htk":
        return 2595.0 * math.log10(1.0 + f / 700.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    mels = f / f_sp
    if f >= min_log_hz:
        mels = min_log_hz / f_sp + math.log(f / min_log_hz) / (math.log(6.4) / 27.0)
    return mels


def mel_to_hz(m, scale):
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    f_sp, min_log_hz = 200.0 / 3, 1000.0
    min_log_mel, logstep = min_log_hz / f_sp, math.log(6.4) / 27.0
    return min_log_hz * math.exp(logstep * (m - min_log_mel)) if m >= min_log_mel else f_sp * m


def melscale_fbanks(n_freqs, f_min, f_max, n_mels, sample_rate, norm, scale):
    all_freqs = np.linspace(0, sample_rate // 2, n_freqs)
    m_pts = np.linspace(hz_to_mel(f_min, scale), hz_to_mel(f_max, scale), n_mels + 2)
    f_pts = np.array([mel_to_hz(m, scale) for m in m_pts])
    f_diff = f_pts[1:] - f_pts[:-1]
    slopes = f_pts[None, :] - all_freqs[:, None]
    down = (-1.0 * slopes[:, :-2]) / f_diff[:-1]
    up = slopes[:, 2:] / f_diff[1:]
    fb = np.maximum(0.0, np.minimum(down, up))
    if norm == "slaney":
        fb *= (2.0 / (f_pts[2:n_mels + 2] - f_pts[:n_mels]))[None, :]
    return fb


def stft(x, n_fft, hop, win, center):
    return torch.stft(torch.from_numpy(x), n_fft, hop_length=hop, win_length=win,
                      window=torch.hann_window(win), center=center, pad_mode="reflect",
                      onesided=True, return_complex=True).numpy()


def main():
    rng = np.random.default_rng(0)
    with open("stft_refs.txt", "w") as f:
        for name, n_fft, hop, win, center, n in [("speech", 400, 160, 400, 1, 1600),
                                                 ("short_window", 64, 16, 48, 1, 300),
                                                 ("no_center", 256, 100, 256, 0, 1000),
                                                 ("odd_fft", 45, 7, 30, 1, 101)]:
            x = signal(rng, n)
            s = stft(x, n_fft, hop, win, bool(center))
            f.write(f"case {name} {n_fft} {hop} {win} {center} {n}\n")
            f.write("signal " + fmt(x) + "\n")
            f.write("real " + fmt(s.real) + "\n")
            f.write("imag " + fmt(s.imag) + "\n")
    with open("mel_refs.txt", "w") as f:
        for name, nf, fmin, fmax, nm, sr, scale, norm in [("torchaudio_default", 201, 0.0, 8000.0, 40, 16000, "htk", "none"),
                                                          ("slaney", 257, 20.0, 7600.0, 64, 16000, "slaney", "slaney"),
                                                          ("odd_rate", 129, 0.0, 11025.0, 32, 22050, "htk", "none")]:
            fb = melscale_fbanks(nf, fmin, fmax, nm, sr, norm, scale)
            f.write(f"fbank {name} {nf} {fmin} {fmax} {nm} {sr} {scale} {norm}\n")
            f.write("weights " + fmt(fb) + "\n")
        for name, sr, n_fft, hop, nm, n in [("speech", 16000, 400, 160, 40, 4000), ("espeak_rate", 22050, 512, 220, 64, 3000)]:
            x = signal(rng, n)
            p = np.abs(stft(x, n_fft, hop, n_fft, True)).astype(np.float64) ** 2
            fb = melscale_fbanks(n_fft // 2 + 1, 0.0, sr / 2, nm, sr, "none", "htk")
            mel = (p.T @ fb).T
            db = 10 * np.log10(np.maximum(mel, 1e-10))
            db = np.maximum(db, db.max() - 80)
            f.write(f"melspec {name} {sr} {n_fft} {hop} {nm} {n}\n")
            f.write("signal " + fmt(x) + "\n")
            f.write("mel " + fmt(mel) + "\n")
            f.write("db " + fmt(db) + "\n")
    write_wavs(rng)


def write_wavs(rng):
    import os
    os.makedirs("wav", exist_ok=True)
    refs = []
    for bits, ch, rate in [(8, 1, 8000), (16, 2, 16000), (24, 1, 22050), (32, 2, 44100)]:
        n = 37
        x = np.clip(rng.uniform(-1, 1, (n, ch)), -1, 1)
        scale = 2 ** (bits - 1)
        q = np.clip(np.round(x * scale), -scale, scale - 1).astype(np.int64)
        if bits == 8:
            raw = (q + 128).astype(np.uint8).tobytes()
            vals = q / 128.0
        else:
            raw = b"".join(int(v).to_bytes(bits // 8, "little", signed=True) for v in q.ravel())
            vals = q / scale
        name = f"pcm{bits}_{ch}ch.wav"
        with wave.open(os.path.join("wav", name), "wb") as w:
            w.setnchannels(ch)
            w.setsampwidth(bits // 8)
            w.setframerate(rate)
            w.writeframes(raw)
        refs.append((name, ch, rate, vals))
    # 32-bit float with a LIST chunk before the data (wave cannot write float; written by hand)
    x = rng.uniform(-1, 1, (25, 2)).astype(np.float32)
    data = x.astype("<f4").tobytes()
    fmt_chunk = struct.pack("<4sIHHIIHH", b"fmt ", 16, 3, 2, 48000, 48000 * 8, 8, 32)
    lst = struct.pack("<4sI", b"LIST", 5) + b"INFOx" + b"\0"
    body = b"WAVE" + fmt_chunk + lst + struct.pack("<4sI", b"data", len(data)) + data
    with open(os.path.join("wav", "float32_2ch.wav"), "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)
    refs.append(("float32_2ch.wav", 2, 48000, x))
    with open("wav_refs.txt", "w") as f:
        for name, ch, rate, vals in refs:
            f.write(f"{name} {ch} {rate} " + fmt(np.asarray(vals, np.float32)) + "\n")


if __name__ == "__main__":
    torch.manual_seed(0)
    main()
