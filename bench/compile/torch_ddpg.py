"""The benchmarked DDPG update in PyTorch (eager), for bench/compile's same-run peer.

Same sizes, losses, order and settings as bench/ddpg/setup.ts: HalfCheetah sizes
(obs 17, act 6), batch 64, 2x64 ReLU actor (tanh output) and critic (action joins at
the second layer), Adam, Polyak targets; the SR variants run the 10-step sign PGD from
a uniform start. One thread. Prints one JSON line: median microseconds per update.
Usage: /usr/bin/python3 torch_ddpg.py [rounds]
TORCH_DDPG_DEVICE=cuda runs it on the GPU instead (torch >= 2.0; each round ends with
torch.cuda.synchronize, since CUDA kernels run asynchronously): the GPU session's peer.
"""
import json
import os
import sys
import time

import torch

DEVICE = os.environ.get("TORCH_DDPG_DEVICE", "cpu")
torch.set_num_threads(1)
if DEVICE != "cpu":
    torch.set_default_device(DEVICE)  # models and batches are then made on the device
torch.manual_seed(0)
OBS, ACT, BATCH, H = 17, 6, 64, 64
GAMMA, TAU, ACTOR_LR, CRITIC_LR, LAMBDA, EPS, STEPS = 0.9, 0.01, 1e-4, 1e-3, 1.0, 0.01, 10


class Actor(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = torch.nn.Linear(OBS, H), torch.nn.Linear(H, H), torch.nn.Linear(H, ACT)

    def forward(self, s):
        return torch.tanh(self.l3(torch.relu(self.l2(torch.relu(self.l1(s))))))


class Critic(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.l1, self.l2, self.l3 = torch.nn.Linear(OBS, H), torch.nn.Linear(H + ACT, H), torch.nn.Linear(H, 1)

    def forward(self, s, a):
        h = torch.relu(self.l1(s))
        return self.l3(torch.relu(self.l2(torch.cat([h, a], 1)))).squeeze(1)


def pgd(s, divergence):
    """delta in the l-inf ball maximizing sum_i D_i(s_i + delta_i), by sign ascent."""
    d = torch.empty_like(s).uniform_(-EPS, EPS)
    for _ in range(STEPS):
        d.requires_grad_(True)
        (g,) = torch.autograd.grad(divergence(s + d).sum(), d)
        d = (d.detach() + 0.2 * EPS * g.sign()).clamp(-EPS, EPS)
    return d.detach()


def make(algo):
    actor, critic = Actor(), Critic()
    target_actor, target_critic = Actor(), Critic()
    target_actor.load_state_dict(actor.state_dict())
    target_critic.load_state_dict(critic.state_dict())
    actor_opt = torch.optim.Adam(actor.parameters(), lr=ACTOR_LR)
    critic_opt = torch.optim.Adam(critic.parameters(), lr=CRITIC_LR)
    s, a = torch.randn(BATCH, OBS), torch.rand(BATCH, ACT) * 2 - 1
    r, s2 = torch.randn(BATCH), torch.randn(BATCH, OBS)
    done = (torch.arange(BATCH) % 10 == 0).float()

    def update():
        with torch.no_grad():
            y = r + GAMMA * (1 - done) * target_critic(s2, target_actor(s2))
        q = critic(s, a)
        loss = (q - y).square().mean()
        if algo == "ddpg-sr-c":
            q_clean = q.detach()
            for p in critic.parameters():
                p.requires_grad_(False)
            delta = pgd(s, lambda p: (q_clean - critic(p, a)).square())
            for p in critic.parameters():
                p.requires_grad_(True)
            loss = loss + LAMBDA * (q_clean - critic(s + delta, a)).square().mean()
        critic_opt.zero_grad()
        loss.backward()
        critic_opt.step()
        mu = actor(s)
        for p in critic.parameters():
            p.requires_grad_(False)
        actor_loss = -critic(s, mu).mean()
        for p in critic.parameters():
            p.requires_grad_(True)
        if algo == "ddpg-sr-a":
            mu_clean = mu.detach()
            for p in actor.parameters():
                p.requires_grad_(False)
            delta = pgd(s, lambda p: (mu_clean - actor(p)).square().sum(1))
            for p in actor.parameters():
                p.requires_grad_(True)
            actor_loss = actor_loss + LAMBDA * (mu - actor(s + delta)).square().sum(1).mean()
        actor_opt.zero_grad()
        actor_loss.backward()
        actor_opt.step()
        with torch.no_grad():
            for tgt, src in ((target_critic, critic), (target_actor, actor)):
                for pt, p in zip(tgt.parameters(), src.parameters()):
                    pt.mul_(1 - TAU).add_(p, alpha=TAU)

    return update


def sync():
    if DEVICE != "cpu":
        torch.cuda.synchronize()


def median_micros(fn, rounds, per_round=5):
    for _ in range(3):
        fn()
    times = []
    for _ in range(rounds):
        sync()
        t0 = time.perf_counter()
        for _ in range(per_round):
            fn()
        sync()
        times.append((time.perf_counter() - t0) * 1e6 / per_round)
    times.sort()
    return times[len(times) // 2]


if __name__ == "__main__":
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    algos = ["ddpg", "ddpg-sr-a", "ddpg-sr-c"]
    fns = {a: make(a) for a in algos}
    print(json.dumps({"torch": torch.__version__, "device": DEVICE, "micros": {a: median_micros(fns[a], rounds) for a in algos}}))
