"""The one-layer DeltaProduct word-problem model, and the exact per-letter transitions it learned.

The model follows the paper's state-tracking configuration (THEORY.md §3.1: hidden size 128, 8 heads of dimension
32, expand_v = 1, no short convolution, no output gate, no forget gate) around one DeltaProduct layer:

    x = emb(token)
    q, k_1..k_nh, v_1..v_nh, beta_1..beta_nh = projections of rmsnorm(x)   (keys and queries L2-normalised)
    beta_j = beta_max * sigmoid(.)                                         (beta in [0, 2] or [0, 1])
    x = x + W_o deltaproduct(q, k, v, beta)                                (kernels.deltaproduct, n_h sub-steps)
    x = x + mlp(rmsnorm(x));  logits = W_out rmsnorm(x)

Because there is no convolution and no gate, a token's keys and betas depend on that token alone, so the transition
``A(x) = (I - b_nh k_nh k_nh^T) ... (I - b_1 k_1 k_1^T)`` of every letter x and head is a fixed matrix:
:func:`letter_transitions` computes it in float64 from the weights, which is what the mechanism report analyses.

Precision: the recurrence (the kernel's inputs and outputs) runs in ``dtype`` (bf16 on the GPU, as in the paper);
the weights, projections, norms and readout stay in fp32 (the paper casts the whole model to bf16; keeping fp32
master weights avoids AdamW updates vanishing below bf16 resolution and does not change the layer being studied).

Examples
--------
>>> import torch
>>> m = WordProblemModel(num_tokens=6, num_classes=6, n_h=2, d_model=16, heads=2, head_dim=4)
>>> logits = m(torch.zeros(3, 5, dtype=torch.long))
>>> tuple(logits.shape)
(3, 5, 6)
>>> A, betas = letter_transitions(m)
>>> A.shape, betas.shape
((6, 2, 4, 4), (6, 2, 2))
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from kernels import deltaproduct

__all__ = ["WordProblemModel", "letter_transitions", "letter_writes"]


class WordProblemModel(nn.Module):
    """Embedding, one DeltaProduct layer with ``n_h`` Householder sub-steps per token, MLP, readout.

    Parameters
    ----------
    num_tokens, num_classes : int
        Input alphabet size and number of output classes (both the group order for a word problem).
    n_h : int
        Householder sub-steps per token (``num_householder``).
    d_model, heads, head_dim : int
        Hidden size, heads, and key = value dimension per head.
    beta_max : float
        ``beta = beta_max * sigmoid(.)``: 2 gives eigenvalues in [-1, 1], 1 gives [0, 1].
    backend : str
        ``kernels.deltaproduct`` backend (``"auto"``: :func:`kernels.auto_backend`, i.e. on CUDA chunked for
        16-bit ``dtype`` and recurrent for float32; reference on CPU).
    dtype : torch.dtype
        Precision of the recurrence (kernel inputs); weights stay fp32.
    """

    def __init__(self, num_tokens: int, num_classes: int, n_h: int, *, d_model: int = 128, heads: int = 8,
                 head_dim: int = 32, beta_max: float = 2.0, backend: str = "auto",
                 dtype: torch.dtype = torch.float32):
        super().__init__()
        if n_h < 1:
            raise ValueError(f"n_h: expected an integer >= 1, got {n_h}")
        if not 0 < beta_max <= 2:
            raise ValueError(f"beta_max: expected a number in (0, 2], got {beta_max}")
        self.n_h, self.heads, self.head_dim, self.beta_max = n_h, heads, head_dim, float(beta_max)
        self.backend, self.dtype = backend, dtype
        hk = heads * head_dim
        self.emb = nn.Embedding(num_tokens, d_model)
        self.norm1 = nn.RMSNorm(d_model)
        self.wq = nn.Linear(d_model, hk, bias=False)
        self.wk = nn.Linear(d_model, n_h * hk, bias=False)
        self.wv = nn.Linear(d_model, n_h * hk, bias=False)
        self.wb = nn.Linear(d_model, n_h * heads, bias=True)
        self.wo = nn.Linear(hk, d_model, bias=False)
        self.norm2 = nn.RMSNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))
        self.norm_f = nn.RMSNorm(d_model)
        self.head = nn.Linear(d_model, num_classes)

    def _keys_betas(self, h: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Unit keys ``[..., n_h, H, K]`` and betas ``[..., n_h, H]`` from normalised embeddings ``h``."""
        lead = h.shape[:-1]
        k = F.normalize(self.wk(h).view(*lead, self.n_h, self.heads, self.head_dim).float(), dim=-1)
        beta = self.beta_max * torch.sigmoid(self.wb(h).view(*lead, self.n_h, self.heads).float())
        return k, beta

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """Logits ``[B, T, num_classes]`` for token ids ``[B, T]``."""
        B, T = tokens.shape
        x = self.emb(tokens)
        h = self.norm1(x)
        q = F.normalize(self.wq(h).view(B, T, self.heads, self.head_dim).float(), dim=-1)
        k, beta = self._keys_betas(h)
        v = self.wv(h).view(B, T, self.n_h, self.heads, self.head_dim)
        dt = self.dtype
        o, _ = deltaproduct(q.to(dt).contiguous(),
                            k.reshape(B, T * self.n_h, self.heads, self.head_dim).to(dt).contiguous(),
                            v.reshape(B, T * self.n_h, self.heads, self.head_dim).to(dt).contiguous(),
                            beta.reshape(B, T * self.n_h, self.heads).to(dt).contiguous(),
                            num_householder=self.n_h, backend=self.backend)
        x = x + self.wo(o.to(x.dtype).reshape(B, T, -1))
        x = x + self.mlp(self.norm2(x))
        return self.head(self.norm_f(x))


@torch.no_grad()
def letter_writes(model: WordProblemModel) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each letter's affine update per head in float64: ``A [V, H, K, K]``, ``B [V, H, K, V]``, ``betas [V, H, n_h]``.

    One token applies ``S <- H_j S + b_j k_j v_j^T`` for ``j = 1..n_h`` (``H_j = I - b_j k_j k_j^T``), so
    ``S <- A(x) S + B(x)`` with ``A(x) = H_nh ... H_1`` and ``B(x) = sum_j (H_nh ... H_{j+1}) b_j k_j v_j^T``;
    keys, betas and values are the model's projections of the normalised embedding of token ``x`` (no
    convolution, no gate: they depend on the token alone). Computed from the fp32 weights, so the bf16 rounding
    of the kernel's inputs is not included.
    """
    was = model.training
    model.eval()
    ids = torch.arange(model.emb.num_embeddings, device=model.emb.weight.device)
    h = model.norm1(model.emb(ids))
    k, beta = model._keys_betas(h)
    v = model.wv(h).view(len(ids), model.n_h, model.heads, model.head_dim)
    model.train(was)
    k, b, v = (t.double().cpu().numpy() for t in (k, beta, v))  # [V, n_h, H, K], [V, n_h, H], [V, n_h, H, K]
    nv, n_h, H, K = k.shape
    A = np.broadcast_to(np.eye(K), (nv, H, K, K)).copy()
    B = np.zeros((nv, H, K, v.shape[-1]))
    for j in range(n_h):
        kj, bj = k[:, j], b[:, j, :, None, None]  # the kernel applies sub-step 1 first: later factors on the left
        A = A - bj * kj[..., :, None] * np.einsum("xhk,xhkl->xhl", kj, A)[..., None, :]
        B = B - bj * kj[..., :, None] * np.einsum("xhk,xhkv->xhv", kj, B)[..., None, :] \
            + bj * kj[..., :, None] * v[:, j, :, None, :]
    return A, B, np.transpose(b, (0, 2, 1)).copy()


def letter_transitions(model: WordProblemModel) -> tuple[np.ndarray, np.ndarray]:
    """The linear part of :func:`letter_writes`: ``A [V, H, K, K]`` and ``betas [V, H, n_h]``,
    ``A[x, h] = (I - b_nh k_nh k_nh^T) ... (I - b_1 k_1 k_1^T)``."""
    A, _, betas = letter_writes(model)
    return A, betas
