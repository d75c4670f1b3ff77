"""The action server loads every module of actions/ (rasa_sdk's register_package): none may pull in Rasa's
training engine or TensorFlow (the NLU components live in bot/nlu/). Measured: 534 MB idle with them, 127 MB
without (README, benchmarks)."""

import subprocess
import sys

CHECK = """
import sys
from rasa_sdk.executor import ActionExecutor
executor = ActionExecutor()
executor.register_package("actions")
heavy = sorted(m for m in ("tensorflow", "rasa.engine.graph", "rasa.nlu", "sklearn") if m in sys.modules)
print(len(executor.actions))
print(",".join(heavy) or "-")
"""


def test_registering_the_actions_package_loads_no_training_engine():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, timeout=120, check=True)
    count, heavy = out.stdout.strip().splitlines()[-2:]
    assert int(count) >= 8, out.stdout
    assert heavy == "-", f"the action server imports {heavy}"
