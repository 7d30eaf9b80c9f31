#!/usr/bin/python3
"""Reference streams of imbal's default generator, written to tests/reference/xoshiro256ss.csv.
Run: /usr/bin/python3 scripts/reference/xoshiro.py  (plain Python, no imbal code involved)

xoshiro256** and splitmix64 are transcribed here from Blackman and Vigna's reference C code
(https://prng.di.unimi.it/xoshiro256starstar.c and splitmix64.c, public domain). The
transcription is checked first against the outputs published with those implementations
(the rand_xoshiro crate's `reference` tests, "produced with the reference implementation"):
xoshiro256** from state {1, 2, 3, 4} and splitmix64 from seed 1477776061723855037, and
splitmix64's first output from 0 (0xe220a8397b1dcdaf).

Then imbal's seeding (rng.h: the four state words are the first four splitmix64 outputs of the
seed) and the algorithms rng.c builds on the raw words, as rng.h documents them:
  u32       the high 32 bits of a 64-bit output
  uniform   (x >> 11) * 2^-53
  below(n)  numpy's masked rejection: mask = the smallest all-ones value >= n - 1, draw u32
            (or a whole 64-bit output when n - 1 >= 2^32) & mask until <= n - 1
  perm(n)   Fisher-Yates from the top: for i = n-1 .. 1, j = interval(i), swap a[i], a[j]
  normal    numpy's legacy polar method: x1, x2 = 2u - 1, r2 = x1^2 + x2^2 in (0, 1),
            f = sqrt(-2 log(r2) / r2); returns f x2, then the cached f x1
and imbal_seed_derive(master, dataset, technique, repeat, fold):
  mix(h, v) = splitmix64 output of the state h ^ (v + 0x9e3779b97f4a7c15 + (h << 6) + (h >> 2))
  h = mix(0x696d62616c, master), then mix in dataset, technique, repeat, fold.
Columns: seed, stream, k, value (integers in decimal; doubles as float.hex, exact bits).
"""
import math
import sys

M64 = (1 << 64) - 1


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & M64


class SplitMix64:
    def __init__(self, x):
        self.x = x & M64

    def next(self):
        self.x = (self.x + 0x9E3779B97F4A7C15) & M64
        z = self.x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)


class Xoshiro256ss:
    def __init__(self, s):
        self.s = list(s)
        self.gauss = None

    @classmethod
    def seeded(cls, seed):
        sm = SplitMix64(seed)
        return cls([sm.next() for _ in range(4)])

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def u32(self):
        return self.next() >> 32

    def uniform(self):
        return (self.next() >> 11) * (1.0 / 9007199254740992.0)

    def interval(self, mx):
        if mx == 0:
            return 0
        mask = mx
        for sh in (1, 2, 4, 8, 16, 32):
            mask |= mask >> sh
        if mx <= 0xFFFFFFFF:
            if mx == 0xFFFFFFFF:
                return self.u32()
            while True:
                v = self.u32() & mask
                if v <= mx:
                    return v
        while True:
            v = self.next() & mask
            if v <= mx:
                return v

    def below(self, n):
        return 0 if n <= 1 else self.interval(n - 1)

    def permutation(self, n):
        a = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.interval(i)
            a[i], a[j] = a[j], a[i]
        return a

    def normal(self):
        if self.gauss is not None:
            g, self.gauss = self.gauss, None
            return g
        while True:
            x1 = 2.0 * self.uniform() - 1.0
            x2 = 2.0 * self.uniform() - 1.0
            r2 = x1 * x1 + x2 * x2
            if 0.0 < r2 < 1.0:
                break
        f = math.sqrt(-2.0 * math.log(r2) / r2)
        self.gauss = f * x1
        return f * x2


def mix(h, v):
    return SplitMix64(h ^ ((v + 0x9E3779B97F4A7C15 + (h << 6) + (h >> 2)) & M64)).next()


def seed_derive(master, dataset, technique, repeat, fold):
    h = mix(0x696D62616C, master)
    for v in (dataset, technique, repeat, fold):
        h = mix(h, v)
    return h


def self_check():
    x = Xoshiro256ss([1, 2, 3, 4])
    assert [x.next() for _ in range(10)] == [
        11520, 0, 1509978240, 1215971899390074240, 1216172134540287360, 607988272756665600,
        16172922978634559625, 8476171486693032832, 10595114339597558777, 2904607092377533576]
    sm = SplitMix64(1477776061723855037)
    assert [sm.next() for _ in range(3)] == [
        1985237415132408290, 2979275885539914483, 13511426838097143398]
    assert SplitMix64(0).next() == 0xE220A8397B1DCDAF


SEEDS = [0, 1, 42, 888, M64]
DERIVE = [(42, 0, 0, 0, 0), (42, 0, 1, 2, 3), (42, 0, 1, 3, 2), (43, 0, 1, 2, 3),
          (42, 1, 1, 2, 3), (42, 0, M64, 0, 0), (42, 1, M64, 3, 0), (888, 2, 5, 9, 4),
          (0, 0, 0, 0, 0), (M64, M64, M64, M64, M64)]


def main():
    self_check()
    rows = ["seed,stream,k,value"]
    for seed in SEEDS:
        def add(stream, vals):
            for k, v in enumerate(vals):
                rows.append("%d,%s,%d,%s" % (seed, stream, k, v.hex() if isinstance(v, float) else v))
        g = Xoshiro256ss.seeded(seed)
        add("u64", [g.next() for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("u32", [g.u32() for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("uniform", [g.uniform() for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("below_26", [g.below(26) for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("below_3313", [g.below(3313) for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("below_2p40_3", [g.below((1 << 40) + 3) for _ in range(16)])
        g = Xoshiro256ss.seeded(seed)
        add("permutation_10", g.permutation(10))
        g = Xoshiro256ss.seeded(seed)
        add("normal", [g.normal() for _ in range(16)])
    for i, c in enumerate(DERIVE):
        rows.append("%d,derive:%d:%d:%d:%d,%d,%d" % (c[0], c[1], c[2], c[3], c[4], i,
                                                      seed_derive(*c)))
    out = sys.argv[1] if len(sys.argv) > 1 else "tests/reference/xoshiro256ss.csv"
    with open(out, "w") as f:
        f.write("\n".join(rows) + "\n")


main()
