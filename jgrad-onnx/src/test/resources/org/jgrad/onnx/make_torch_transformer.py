"""Writes the PyTorch-exported attention/LayerNorm ONNX fixture for OnnxTorchTransformerTest (run with
Debian's /usr/bin/python3, which has python3-torch):

    /usr/bin/python3 make_torch_transformer.py

A small token-id model, random weights, exported by torch.onnx.export in evaluation mode (opset 17, the
newest torch 1.13 writes, free batch dimension and sequence length): an Embedding(40, 16) with padding id
0, a 2-layer batch-first pre-norm nn.TransformerEncoder (4 heads, feed-forward 32, GELU, a final
LayerNorm) attending under a causal mask and skipping each row's padding (src_key_padding_mask computed
from the ids in the graph), then the mean over the steps and a Linear(16, 5). Writes:

  torch_transformer.onnx          the model
  torch_transformer.input.i64     a [3, 7] batch of token ids padded with 0, little-endian int64
  torch_transformer.output.f32    PyTorch's logits for it, [3, 5], little-endian float32
"""
import torch
import torch.nn as nn


class TokenTransformer(nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(40, 16, padding_idx=0)
        layer = nn.TransformerEncoderLayer(16, 4, dim_feedforward=32, dropout=0.1, activation="gelu",
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, norm=nn.LayerNorm(16), enable_nested_tensor=False)
        self.head = nn.Linear(16, 5)

    def forward(self, ids):
        t = ids.shape[1]
        causal = torch.triu(torch.full((t, t), float("-inf")), diagonal=1)
        h = self.encoder(self.embed(ids), mask=causal, src_key_padding_mask=ids == 0)
        return self.head(h.mean(1))


def main():
    torch.manual_seed(18)
    m = TokenTransformer().eval()
    ids = torch.randint(1, 40, (3, 7))
    ids[1, 4:] = 0
    ids[2, 6:] = 0
    with torch.no_grad():
        y = m(ids)
    torch.onnx.export(m, ids, "torch_transformer.onnx", opset_version=17, input_names=["input"],
                      output_names=["output"], dynamic_axes={"input": {0: "batch", 1: "steps"}, "output": {0: "batch"}})
    ids.numpy().astype("<i8").tofile("torch_transformer.input.i64")
    y.numpy().astype("<f4").tofile("torch_transformer.output.f32")
    print("torch", torch.__version__, "logits", y[0, :3].tolist())


if __name__ == "__main__":
    main()
