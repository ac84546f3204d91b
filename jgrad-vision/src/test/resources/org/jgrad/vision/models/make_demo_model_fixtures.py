#!/usr/bin/python3
"""Writes reference outputs of the demos' models (spectrogram_cnn, two_stream, lstm/gru language models,
lstm_classifier), built in PyTorch with the same module names and layouts as jgrad's, for
DemoModelsFromPyTorchTest: a PyTorch state dict must load into the jgrad model unchanged and give the
same outputs in eval mode.

Needs PyTorch (Debian: apt-get install python3-torch).
Run: /usr/bin/python3 make_demo_model_fixtures.py   (written with torch 1.13.1)

demo_models.safetensors: for each model a key prefix ("spectrogram_cnn.", ...) holding its state dict
under PyTorch's names, "input" and "output". The file format is written by hand (8-byte little-endian
header length, JSON header, raw data) so that nothing beyond torch is needed.
"""
import json
import os
import struct

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))


def save(name, tensors):
    header, blobs, offset = {}, [], 0
    for key, t in tensors.items():
        t = t.detach().contiguous()
        dtype = "I64" if t.dtype == torch.int64 else "F32"
        data = (t if dtype == "I64" else t.to(torch.float32)).numpy().tobytes()
        header[key] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(os.path.join(HERE, name + ".safetensors"), "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


class SpectrogramCnn(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        layers, c = [], 1
        for out in (16, 32, 64):
            layers += [nn.Conv2d(c, out, 3, 1, 1), nn.BatchNorm2d(out), nn.ReLU(), nn.MaxPool2d(2)]
            c = out
        layers.append(nn.AdaptiveAvgPool2d((4, 4)))
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Linear(c * 16, 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def stream(c_in, classes):
    layers, c = [], c_in
    for out in (16, 32, 32):
        layers += [nn.Conv2d(c, out, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2)]
        c = out
    layers += [nn.AdaptiveAvgPool2d(4), nn.Flatten(), nn.Linear(c * 16, 128), nn.ReLU(), nn.Dropout(0.3),
               nn.Linear(128, classes)]
    return nn.Sequential(*layers)


class TwoStream(nn.Module):
    def __init__(self, classes=8, frames=8):
        super().__init__()
        self.frames = stream(1, classes)
        self.differences = stream(frames - 1, classes)

    def forward(self, clips):
        t = clips.shape[1]
        a = self.frames(clips[:, t // 2:t // 2 + 1])
        b = self.differences(clips[:, 1:] - clips[:, :-1])
        return torch.logsumexp(torch.stack([F.log_softmax(a, 1), F.log_softmax(b, 1)]), 0) - torch.log(torch.tensor(2.0))


class CharLM(nn.Module):
    def __init__(self, cell, vocab, emb, hidden, layers):
        super().__init__()
        self.encoder = nn.Embedding(vocab, emb)
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(emb, hidden, layers, batch_first=True, dropout=0.2)
        self.drop = nn.Dropout(0.2)
        self.decoder = nn.Linear(hidden, vocab)

    def forward(self, ids):
        out, _ = self.rnn(self.encoder(ids))
        return self.decoder(self.drop(out)).permute(0, 2, 1)


class TextClassifier(nn.Module):
    def __init__(self, vocab, emb, hidden, classes):
        super().__init__()
        self.encoder = nn.Embedding(vocab, emb, padding_idx=0)
        self.rnn = nn.LSTM(emb, hidden, 1, batch_first=True)
        self.drop = nn.Dropout(0.3)
        self.classifier = nn.Linear(hidden, classes)

    def forward(self, ids):
        lengths = []
        for row in ids.tolist():
            n = len(row)
            while n > 1 and row[n - 1] == 0:
                n -= 1
            lengths.append(n)
        packed = nn.utils.rnn.pack_padded_sequence(self.encoder(ids), lengths, batch_first=True, enforce_sorted=False)
        _, (h, _) = self.rnn(packed)
        return self.classifier(self.drop(h[-1]))


def case(prefix, model, x, out):
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):  # running statistics that are not the defaults
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 1.5)
            m.weight.data.uniform_(0.5, 1.5)
            m.bias.data.uniform_(-0.2, 0.2)
    with torch.no_grad():
        y = model(x)
    for k, v in model.state_dict().items():
        out[prefix + k] = v
    out[prefix + "input"] = x
    out[prefix + "output"] = y


def main():
    torch.manual_seed(0)
    out = {}
    case("spectrogram_cnn.", SpectrogramCnn(10), torch.randn(2, 1, 40, 101), out)
    case("two_stream.", TwoStream(8, 8), torch.rand(2, 8, 32, 32), out)
    case("lstm.", CharLM("lstm", 11, 6, 8, 2), torch.randint(0, 11, (2, 7)), out)
    case("gru.", CharLM("gru", 11, 6, 8, 2), torch.randint(0, 11, (2, 7)), out)
    ids = torch.tensor([[5, 6, 7, 0, 0, 0], [3, 1, 4, 1, 5, 9], [2, 0, 0, 0, 0, 0]])
    case("lstm_classifier.", TextClassifier(12, 5, 7, 3), ids, out)
    save("demo_models", out)


if __name__ == "__main__":
    main()
