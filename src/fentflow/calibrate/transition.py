"""The ABC-SMC perturbation kernel: one one-dimensional Gaussian kernel mixture per parameter.

pyABC's default, one multivariate Gaussian KDE over all parameters, makes the importance
weights collapse with 20 parameters: a proposal's kernel density is dominated by its nearest
particle, so it varies by orders of magnitude and a handful of particles carry all the
weight. On a 20-parameter test problem with 400 particles (docs/calibration.md) the
effective sample size fell to 1-5% of the population from the second generation on; with
one KDE per parameter (pyABC's `AggregatedTransition`, whose density factorises) it stayed
at 20-65%. The price is that proposals ignore correlations between parameters, so epsilon
falls a little more slowly.

Each parameter's kernel has the weighted variance of the previous population (Beaumont et al.
2009 use twice it), much wider than Silverman's rule (0.32 of the standard deviation with 400
particles). Narrower kernels let the effective sample size collapse in the last generations:
a proposal in the thin tails of several parameters at once gets a huge weight. Measured on
the real calibration (default budget): Silverman's rule, 5% by the sixth generation; half the
variance, 6% in the eighth; the full variance (the shipped calibration), 30% in the seventh and
last (docs/calibration.md).

`rvs(size)` is vectorised (pyABC's aggregated transition draws particle by particle, which
costs ~40 ms per proposal with 20 parameters), and draws on arrays (`_Sampler`) with the same
random calls as pyABC, so its draws are pyABC's bit for bit. That matters because most draws of
27 parameters fall outside the prior's box and are redrawn (`sampler._propose`): a default
calibration draws some 100,000 rounds of a chunk's proposals to keep 22,000 (each parameter
stays inside its bounds with a probability of about 0.8, all 27 with one of about 0.2 %).
So a round is lean: per parameter, its two random calls and a few array operations, in place.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pyabc

from fentflow.sim.kernels import inlined, kernel


KERNEL_VARIANCE_SHARE = 1.0      # kernel variance / weighted population variance, per parameter
BUCKETS = 4096                   # `_Sampler`'s lookup of the chosen particles: a power of 2, so u x BUCKETS is exact


def _no_bandwidth_rule(n: int, d: int) -> float:
    return 1.0


class IndependentTransition(pyabc.AggregatedTransition):
    def __init__(self, names: Sequence[str], variance_share: float = KERNEL_VARIANCE_SHARE):
        super().__init__(mapping={name: pyabc.MultivariateNormalTransition(
            scaling=variance_share, bandwidth_selector=_no_bandwidth_rule) for name in names})

    def fit(self, X: pd.DataFrame, w: np.ndarray) -> None:
        super().fit(X, w)
        self._samplers = [_Sampler(transition) for transition in self.mapping.values()]

    @property
    def names(self) -> list[str]:
        """The parameters in the order of `draw`'s columns."""
        return [sampler.name for sampler in self._samplers]

    def draw(self, size: int) -> np.ndarray:
        """`size` draws as a (size, parameter) array, columns in the order of `names`."""
        draws = np.empty((size, len(self._samplers)))
        for column, sampler in enumerate(self._samplers):
            sampler.draw_into(draws[:, column])
        return draws

    def rvs(self, size: int | None = None):
        if size is None:
            return self.rvs_single()
        return pd.DataFrame(self.draw(size), columns=self.names)


class _Sampler:
    """One parameter's `MultivariateNormalTransition.rvs(size)` on arrays.

    numpy's `choice(p=w)` is a uniform draw looked up in the weights' cumulative sum, and its
    `multivariate_normal` a standard normal draw times a factor of the covariance's SVD, plus a
    zero vector; done here with the factor computed once per generation, the calls on the global
    generator, and so the draws, are the same bit for bit (`tests/test_calibrate_parts.py`
    checks it). For one parameter the factor is a number, and a (size, 1) x (1, 1) matrix
    product is each normal times it.
    """

    def __init__(self, transition: pyabc.MultivariateNormalTransition):
        if transition.X.shape[1] != 1:
            raise ValueError(f"one parameter per kernel, not {list(transition.X.columns)}")
        self.name = transition.X.columns[0]
        self.particles = transition.X.iloc[:, 0].to_numpy(float)
        self.cumulative = np.cumsum(transition.w)
        self.cumulative /= self.cumulative[-1]          # its last element is 1.0 exactly
        self.bucket_start = bucket_starts(self.cumulative)
        _, singular, vh = np.linalg.svd(transition.cov)
        self.factor = (np.sqrt(singular)[:, None] * vh)[0, 0]

    def draw_into(self, out: np.ndarray) -> None:
        """`out.size` draws into `out`: the uniforms that choose the particles, then the normal steps."""
        uniforms = np.random.random_sample(out.size)
        kernel_draws(self.cumulative, self.bucket_start, self.particles, self.factor, uniforms,
                     np.random.standard_normal(out.size), out)


def bucket_starts(cumulative: np.ndarray) -> np.ndarray:
    """For each of the BUCKETS buckets b of [0, 1), how many elements of `cumulative` are <= b / BUCKETS:
    where `chosen` starts its search for a uniform in that bucket."""
    return cumulative.searchsorted(np.arange(BUCKETS) / BUCKETS, side="right")


@kernel
def kernel_draws(cumulative, bucket_start, particles, factor, uniforms, normals, out):
    """One parameter's draws into `out`: the particle each uniform chooses (`chosen`) plus its normal step,
    normal x factor + 0.0 as the matrix product and the zero vector give it (no fused multiply-add:
    numba compiles without fast-math, and x + 0.0 is not x for x = -0.0)."""
    for k in range(uniforms.size):
        out[k] = particles[chosen(cumulative, bucket_start, uniforms[k])] + (normals[k] * factor + 0.0)


@inlined
def chosen(cumulative, bucket_start, u):
    """`cumulative.searchsorted(u, side="right")`: how many elements of the non-decreasing `cumulative`
    (ending at 1.0) are <= u, for u in [0, 1).

    numpy searches the whole array for each u, and with random u the processor mispredicts half
    of its branches: 5 us for 100 draws among 400 particles, half of a proposal round. Here the
    search starts where u's bucket starts (`bucket_start[b]`: the elements <= b / BUCKETS, all of
    them <= u) and steps on from there, about one element: the same count."""
    i = bucket_start[int(u * bucket_start.size)]
    while cumulative[i] <= u:
        i += 1
    return i
