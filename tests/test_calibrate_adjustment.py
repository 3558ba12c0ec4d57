"""Regression adjustment: on a problem whose posterior is known it moves particles onto it."""
import numpy as np
import pandas as pd

from fentflow.calibrate.adjustment import adjust
from fentflow.calibrate.priors import FittedParameter


def test_adjustment_recovers_a_known_posterior_and_stays_inside_the_prior():
    """Statistics = parameters + noise (sd 0.02); ABC accepted everything within a wide epsilon.
    The true posterior sits near the observed statistics with sd 0.02; the accepted set spans ~0.3."""
    rng = np.random.default_rng(1)
    fitted = [FittedParameter(f"p{k}", False, 0.0, 1.0) for k in range(3)]
    truth = np.array([0.3, 0.5, 0.7])
    observed = truth + rng.normal(0, 0.02, 3)
    theta = np.clip(observed + rng.uniform(-0.15, 0.15, (400, 3)), 0.001, 0.999)
    misses = theta + rng.normal(0, 0.02, theta.shape) - observed          # simulated - observed
    distances = np.abs(misses).sum(axis=1)
    frame = pd.DataFrame(theta, columns=[p.fit_name for p in fitted])
    adjusted, weights = adjust(frame, misses, np.full(400, 1 / 400), distances, fitted)
    assert np.isclose(weights.sum(), 1) and (weights >= 0).all()
    assert ((adjusted.to_numpy() > 0) & (adjusted.to_numpy() < 1)).all()
    centre = np.average(adjusted.to_numpy(), axis=0, weights=weights)
    spread = np.sqrt(np.average((adjusted.to_numpy() - centre) ** 2, axis=0, weights=weights))
    assert np.allclose(centre, observed, atol=0.01)
    assert (spread < 0.04).all() and (spread > 0.01).all()               # ~the true 0.02, not zero
    assert (theta.std(axis=0) > 0.08).all()                               # the unadjusted spread


def test_adjustment_moves_nothing_when_the_statistics_say_nothing():
    rng = np.random.default_rng(2)
    fitted = [FittedParameter("p", False, 0.0, 1.0)]
    theta = rng.uniform(0.2, 0.8, (300, 1))
    misses = rng.normal(0, 1, (300, 5))                                    # unrelated to the parameter
    adjusted, weights = adjust(pd.DataFrame(theta, columns=["p"]), misses, np.full(300, 1 / 300),
                               np.abs(misses).sum(axis=1), fitted)
    assert abs(np.average(adjusted["p"], weights=weights) - 0.5) < 0.05
    assert adjusted["p"].std() > 0.8 * theta.std()


def test_the_adjustment_aims_at_the_statistics_the_calibration_fitted(tmp_path):
    """A recovery trial fits synthetic statistics, not the public series: the posterior must centre there."""
    from types import SimpleNamespace

    from fentflow.calibrate.posterior import posterior_from_history

    rng = np.random.default_rng(3)
    fitted = (FittedParameter("p", False, 0.0, 1.0),)
    theta = rng.uniform(0.2, 0.8, 400)
    particles = [SimpleNamespace(parameter={"p": t}, weight=1.0, distance=1.0 + rng.uniform(),
                                 sum_stat={"s": t + rng.normal(0, 0.01)}) for t in theta]
    history = SimpleNamespace(max_t=3, get_population=lambda t: SimpleNamespace(particles=particles),
                              db_file=lambda: str(tmp_path / "history.db"))   # it stores its statistics itself
    targets = SimpleNamespace(weights={"s": 1.0}, observed={"s": 0.3})            # the public series
    public = posterior_from_history(history, fitted, targets=targets)
    synthetic = posterior_from_history(history, fitted, targets=targets, observed={"s": 0.7})
    assert abs(np.average(public["p"], weights=public["weight"]) - 0.3) < 0.02
    assert abs(np.average(synthetic["p"], weights=synthetic["weight"]) - 0.7) < 0.02
