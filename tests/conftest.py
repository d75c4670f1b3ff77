"""Shared fixtures. The Rasa model is trained once per test run (by `make test`, or here if missing)
and shared by every test that needs it; no test retrains."""

import asyncio
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "current.tar.gz"

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")


@pytest.fixture(scope="session")
def trained_model() -> Path:
    """Path of the trained Rasa model: `make test` trains it first; a bare pytest run trains once."""
    if not MODEL.exists():
        subprocess.run(
            [sys.executable, "-m", "rasa", "train", "--config", "bot/config.yml", "--domain", "bot/domain",
             "--data", "data/nlu", "bot/stories", "bot/rules", "--out", "models", "--fixed-model-name", "current"],
            cwd=ROOT, check=True,
        )
    return MODEL


@pytest.fixture(scope="session")
def rasa_agent(trained_model):
    """One in-process Rasa agent (no action server) shared by the tests that only need NLU/policies."""
    from rasa.core.agent import load_agent

    return asyncio.run(load_agent(model_path=str(trained_model)))
