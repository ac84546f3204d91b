#!/usr/bin/python3
"""Writes reference outputs of the demos' models (spectrogram_cnn, two_stream, lstm/gru language models,
lstm_classifier, the transformer language model and transformer_classifier), built in PyTorch with the same module names and layouts as jgrad's, for
DemoModelsFromPyTorchTest: a PyTorch state dict must load into the jgrad model unchanged and give the
same outputs in eval mode.

Needs PyTorch (Debian: apt-get install python3-torch).
Run: /usr/bin/python3 make_demo_model_fixtures.py   (written with torch 1.13.1)

demo_models.safetensors: for each model a key prefix ("spectrogram_cnn.", ...) holding its state dict
under PyTorch's names, "input" and "output". The file format is written by hand (8-byte little-endian
header length, JSON header, raw data) so that nothing beyond torch is needed.
"""
import json
import math
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


class PositionalEncoding(nn.Module):
    """The Transformer tutorial's sine table, batch-first, held as pe [max_len, d] (jgrad's layout)."""

    def __init__(self, d, dropout, max_len):
        super().__init__()
        self.dropout = nn.Dropout(dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe = torch.zeros(max_len, d)
        pe[:, 0::2] = torch.sin(position * div)
        pe[:, 1::2] = torch.cos(position * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return self.dropout(x + self.pe[:x.size(1)])


def encoder(d, heads, ff, layers, dropout):
    layer = nn.TransformerEncoderLayer(d, heads, ff, dropout, activation="gelu", batch_first=True, norm_first=True)
    return nn.TransformerEncoder(layer, layers, norm=nn.LayerNorm(d), enable_nested_tensor=False)


class TransformerLM(nn.Module):
    def __init__(self, vocab, d, heads, ff, layers, context):
        super().__init__()
        self.encoder = nn.Embedding(vocab, d)
        self.pos = PositionalEncoding(d, 0.1, context)
        self.transformer = encoder(d, heads, ff, layers, 0.1)
        self.decoder = nn.Linear(d, vocab)

    def forward(self, ids):
        t = ids.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf")), 1)
        return self.decoder(self.transformer(self.pos(self.encoder(ids)), mask=causal)).permute(0, 2, 1)


class TransformerClassifier(nn.Module):
    def __init__(self, vocab, d, heads, ff, layers, context, classes):
        super().__init__()
        self.encoder = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = PositionalEncoding(d, 0.1, context)
        self.transformer = encoder(d, heads, ff, layers, 0.1)
        self.drop = nn.Dropout(0.1)
        self.classifier = nn.Linear(d, classes)

    def forward(self, ids):
        lengths = []
        for row in ids.tolist():
            n = len(row)
            while n > 1 and row[n - 1] == 0:
                n -= 1
            lengths.append(n)
        real = torch.arange(ids.shape[1]).unsqueeze(0) < torch.tensor(lengths).unsqueeze(1)
        h = self.transformer(self.pos(self.encoder(ids)), src_key_padding_mask=~real)
        mean = (h * real.unsqueeze(2)).sum(1) / torch.tensor(lengths, dtype=torch.float32).unsqueeze(1)
        return self.classifier(self.drop(mean))


def distinct_layers(model):
    """The encoder's layers start as copies of one layer (as in jgrad); make them differ, norms included."""
    with torch.no_grad():
        for layer in model.transformer.layers:
            for p in layer.parameters():
                p.add_(torch.randn_like(p) * 0.1)
    return model


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
    case("transformer.", distinct_layers(TransformerLM(11, 8, 2, 16, 2, 10)), torch.randint(0, 11, (2, 7)), out)
    case("transformer_classifier.", distinct_layers(TransformerClassifier(12, 8, 2, 16, 2, 10, 3)), ids, out)
    save("demo_models", out)


if __name__ == "__main__":
    main()
