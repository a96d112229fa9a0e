#!/usr/bin/env python3
"""The recurrent NAU and NMU cells in PyTorch, batched over a population of K members, timed as
dev.nalu.bench.RecurrentStepBenchmark times the service's ND4J trainer (docs/performance.md).

Same model and step: h_t = cell([h_{t-1}, x_t]) with hidden size 2 and a learnable h_0 per member,
then a head of the same unit on h_T (NAU cell -> NAU(2->1), NMU cell -> NMU(2->1)); recurrent
arithmetic MUL inputs (10 values a step from U[1, 2], sequences of length 10), batch 128, float32,
one thread, Adam lr 1e-3, the sparsity regulariser mean(min(|W|, 1 - |W|)) at lambda 10 on every
NAU/NMU weight, clamping after each step. Members are one extra axis of every parameter, so every
op of a time step covers the whole population, as in the service. Batches are drawn with torch's
generator (the service draws its own; the figures time the step, not the task).

Prints member-steps/s (one optimiser step of one member on one batch of 128 sequences) per K.
Usage: python3 bench/recurrent_torch.py [K ...] [--steps N] [--warmup N] [--repeats N]
"""
import argparse
import statistics
import time

import torch

BATCH = 128
LENGTH = 10
INPUTS = 10
HIDDEN = 2
LAMBDA = 10.0


class Population(torch.nn.Module):
    def __init__(self, cell, k):
        super().__init__()
        self.cell = cell
        if cell == 'NAU':
            r = min(0.5, (3 ** 0.5) * (2.0 / (INPUTS + 2 * HIDDEN)) ** 0.5)
            self.wx = torch.nn.Parameter(torch.empty(k, INPUTS, HIDDEN).uniform_(-r, r))
            self.wh = torch.nn.Parameter(torch.empty(k, HIDDEN, HIDDEN).uniform_(-r, r))
            rh = min(0.5, (3 ** 0.5) * (2.0 / (HIDDEN + 1)) ** 0.5)
            self.head = torch.nn.Parameter(torch.empty(k, HIDDEN, 1).uniform_(-rh, rh))
            self.lo, self.hi = -1.0, 1.0
        else:
            self.wx = torch.nn.Parameter(torch.empty(k, INPUTS, HIDDEN).uniform_(0.25, 0.75))
            self.wh = torch.nn.Parameter(torch.empty(k, HIDDEN, HIDDEN).uniform_(0.25, 0.75))
            self.head = torch.nn.Parameter(torch.empty(k, HIDDEN, 1).uniform_(0.25, 0.75))
            self.lo, self.hi = 0.0, 1.0
        self.h0 = torch.nn.Parameter(torch.zeros(k, HIDDEN))

    def forward(self, x):
        # x [B, T, in], shared by every member; h [B, K, hidden]
        b = x.shape[0]
        h = self.h0.unsqueeze(0).expand(b, -1, -1)
        for t in range(x.shape[1]):
            xt = x[:, t, :]
            if self.cell == 'NAU':
                h = torch.einsum('bi,kih->bkh', xt, self.wx) + torch.einsum('bkj,kjh->bkh', h, self.wh)
            else:
                fx = xt[:, None, :, None] * self.wx[None] + (1 - self.wx[None])   # [B, K, in, H]
                fh = h[:, :, :, None] * self.wh[None] + (1 - self.wh[None])        # [B, K, H, H]
                h = fx.prod(dim=2) * fh.prod(dim=2)
        if self.cell == 'NAU':
            return torch.einsum('bkj,kjo->bko', h, self.head)[:, :, 0]
        return (h[:, :, :, None] * self.head[None] + (1 - self.head[None])).prod(dim=2)[:, :, 0]

    def regulariser(self):
        total = 0
        for w in (self.wx, self.wh, self.head):
            a = w.abs()
            total = total + torch.minimum(a, 1 - a).mean(dim=(1, 2)).sum()
        return total


def measure(cell, k, steps, warmup, seed):
    torch.manual_seed(seed)
    model = Population(cell, k)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    a, b = slice(2, 5), slice(4, 7)

    def step():
        x = torch.rand(BATCH, LENGTH, INPUTS) + 1
        target = x[:, :, a].sum(dim=(1, 2)) * x[:, :, b].sum(dim=(1, 2))
        y = model(x)
        loss = ((y - target[:, None]) ** 2).mean(dim=0).sum() + LAMBDA * model.regulariser()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            for w in (model.wx, model.wh, model.head):
                w.clamp_(model.lo, model.hi)

    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return steps * k / (time.perf_counter() - start)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('k', nargs='*', type=int, default=[1, 64, 256])
    p.add_argument('--steps', type=int, default=500)
    p.add_argument('--warmup', type=int, default=200)
    p.add_argument('--repeats', type=int, default=3)
    args = p.parse_args()
    torch.set_num_threads(1)
    print(f'torch {torch.__version__}, threads {torch.get_num_threads()}; batch {BATCH}, length {LENGTH}, '
          f'warm-up {args.warmup} steps, timed {args.steps} steps x {args.repeats} repeats (median)')
    print(f'{"model":<30} {"K":>5} {"steps/s":>10} {"ms/step":>10} {"member-steps/s":>16} '
          f'{"member-time-steps/s":>21}  runs (member-steps/s)')
    for cell in ('NAU', 'NMU'):
        for k in args.k:
            runs = [measure(cell, k, args.steps, args.warmup, seed) for seed in range(1, args.repeats + 1)]
            m = statistics.median(runs)
            name = f'{cell} cell(10→2) → {cell}(2→1)'
            print(f'{name:<30} {k:>5} {m / k:>10.1f} {1e3 * k / m:>10.3f} {m:>16.0f} {m * LENGTH:>21.0f}  '
                  + ' '.join(f'{r:.0f}' for r in runs))


if __name__ == '__main__':
    main()
