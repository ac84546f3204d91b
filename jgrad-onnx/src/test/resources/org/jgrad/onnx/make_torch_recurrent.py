"""Writes the PyTorch-exported recurrent ONNX fixtures for OnnxTorchRecurrentTest (run with Debian's
/usr/bin/python3, which has python3-torch):

    /usr/bin/python3 make_torch_recurrent.py

Two small token-id models, random weights, exported by torch.onnx.export in evaluation mode (opset 17,
free batch dimension): an Embedding(30, 8) feeding a 2-layer bidirectional batch-first LSTM (hidden 12)
or GRU (hidden 10), whose output sequence and last hidden state both reach the logits, so that the ONNX
op's Y and Y_h outputs are both read. Writes, for each of lstm and gru:

  torch_<cell>.onnx          the model
  torch_<cell>.input.i64     a [2, 6] batch of token ids, little-endian int64
  torch_<cell>.output.f32    PyTorch's logits for it, [2, 5], little-endian float32
"""
import torch
import torch.nn as nn


class TokenRnn(nn.Module):
    def __init__(self, cell, hidden):
        super().__init__()
        self.embed = nn.Embedding(30, 8)
        rnn = nn.LSTM if cell == "lstm" else nn.GRU
        self.rnn = rnn(8, hidden, num_layers=2, batch_first=True, bidirectional=True)
        self.seq = nn.Linear(2 * hidden, 5)
        self.last = nn.Linear(hidden, 5)

    def forward(self, ids):
        out, state = self.rnn(self.embed(ids))
        h = state[0] if isinstance(state, tuple) else state
        return self.seq(out).mean(1) + self.last(h[-1])


def main():
    for cell, hidden in (("lstm", 12), ("gru", 10)):
        torch.manual_seed(18)
        m = TokenRnn(cell, hidden).eval()
        ids = torch.randint(0, 30, (2, 6))
        with torch.no_grad():
            y = m(ids)
        torch.onnx.export(m, ids, "torch_" + cell + ".onnx", opset_version=17, input_names=["input"],
                          output_names=["output"], dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}})
        ids.numpy().astype("<i8").tofile("torch_" + cell + ".input.i64")
        y.numpy().astype("<f4").tofile("torch_" + cell + ".output.f32")
        print("torch", torch.__version__, cell, "logits", y[0, :3].tolist())


if __name__ == "__main__":
    main()
