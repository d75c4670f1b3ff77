"""Custom Rasa NLU pipeline components (named in bot/config.yml); the action server never imports them."""
