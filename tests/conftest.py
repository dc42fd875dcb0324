import numpy as np
import pytest

from reprobook import data


@pytest.fixture(scope="session")
def chinchilla_points():
    """The 240 points Besiroglu et al. fit (real data, used as realistic inputs for engine tests)."""
    points = data.load("chinchilla_fig4")
    return points[~points.epoch_excluded].reset_index(drop=True)


@pytest.fixture(scope="session")
def nd(chinchilla_points):
    return {"N": chinchilla_points.N_params.to_numpy(), "D": chinchilla_points.D_tokens.to_numpy()}


@pytest.fixture(scope="session")
def loss(chinchilla_points):
    return chinchilla_points.loss_nats.to_numpy()


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
