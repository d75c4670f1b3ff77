"""Custom Rasa NLU pipeline components (named in bot/config.yml); the action server never imports them.

Every process that loads the model imports this package before any component is loaded (Rasa imports the
classes the model's graph names first), so this is where bot.speedups is installed: the Rasa server, the
shell, ``rasa test`` and the tests' own agents all load DIET and TED for prediction only.
"""

from bot import speedups

speedups.install()
