# One command per job. Every target installs what it needs first and is idempotent:
# a second run reuses the environments, the clause index and the trained model.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# First interpreter of the right version that really runs (a pyenv shim may exist and still refuse).
find_python = $(firstword $(foreach p,python$(1) $(wildcard $(HOME)/.pyenv/versions/$(1).*/bin/python) \
  $(wildcard /usr/local/bin/python$(1) /usr/bin/python$(1)),$(shell $(p) -c 'import sys; \
  assert sys.version_info[:2] == tuple(map(int, "$(1)".split(".")))' >/dev/null 2>&1 && echo $(p))))
PY310 := $(call find_python,3.10)
PY311 := $(call find_python,3.11)
VENV := .venv
ST_VENV := .venv-st
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/current.tar.gz
RASA_ARGS := --config bot/config.yml --domain bot/domain
TRAIN_DATA := --data data/nlu bot/stories bot/rules
# The model is built from the config and data and from the code of the custom NLU components (bot/nlu/),
# the normaliser and clause splitter they call (facts/text.py, facts/reader.py, facts/lexicon.yaml) and the
# sentence embedder.
TRAIN_SRC := bot/config.yml $(shell find bot/domain bot/stories bot/rules data/nlu -type f 2>/dev/null) \
  $(wildcard bot/nlu/*.py) facts/text.py facts/lexicon.py facts/lexicon.yaml facts/reader.py knowledge/embedders.py
ACTIONS_PORT ?= 5055
PORT ?= 5005
# PROFILE=embedded (default: SQLite tracker store under var/, in-memory lock store, nothing to start) or
# PROFILE=scale (PostgreSQL tracker store, Redis lock store shared by several replicas: bot/endpoints-scale.yml),
# PROFILE=scale-broker (the same, plus every event published to RabbitMQ: bot/endpoints-scale-broker.yml).
PROFILE ?= embedded
ifneq ($(filter $(PROFILE),scale scale-broker),)
ENDPOINTS := bot/endpoints-$(PROFILE).yml
export ACTION_SERVER_URL ?= http://127.0.0.1:$(ACTIONS_PORT)/webhook
export POSTGRES_HOST ?= 127.0.0.1
export POSTGRES_PORT ?= 5432
export POSTGRES_DB ?= ysly
export POSTGRES_USER ?= postgres
export POSTGRES_PASSWORD ?=
export REDIS_URL ?= redis://127.0.0.1:6379/1
export RABBITMQ_HOST ?= 127.0.0.1
export RABBITMQ_PORT ?= 5672
export RABBITMQ_USER ?= guest
export RABBITMQ_PASSWORD ?= guest
export RABBITMQ_QUEUE ?= rasa_events
else ifeq ($(PROFILE),embedded)
ENDPOINTS := bot/endpoints.yml
else
$(error PROFILE must be embedded, scale or scale-broker)
endif
STORIES ?= tests/dialogue
export TF_CPP_MIN_LOG_LEVEL := 3
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
# No usage data or crash reports leave the machine (and no waiting on unreachable hosts).
export RASA_TELEMETRY_ENABLED := false

.PHONY: help install install-st index generate train chat serve actions console test test-nlu test-stories bench bench-stard lint

help:
	@echo "make chat | serve | console | train | generate | index | test | test-nlu | test-stories | bench | lint"

$(VENV)/.installed: pyproject.toml requirements/constraints-rasa.txt
	@test -n "$(PY310)" || { echo "Python 3.10 not found (Rasa 3.6 needs it): pass PY310=/path/to/python3.10"; exit 1; }
	test -x $(PY) || $(PY310) -m venv $(VENV)
	$(PY) -m pip install -q -c requirements/constraints-rasa.txt -e '.[rasa,test,dev]'
	touch $@

# sentence-transformers needs torch: it gets its own small Python 3.11 environment (CPU torch
# from local disk) so that the Rasa environment never pulls a multi-GB CUDA build. Its stamp is named
# after a hash of what it installs (the base dependencies and the st and test extras), so editing the
# rasa or dev extras does not rebuild it.
ST_DEPS = import hashlib, json, tomllib; p = tomllib.load(open("pyproject.toml", "rb"))["project"]; \
  x = p["optional-dependencies"]; lists = [p["dependencies"], x["st"], x["test"]]; \
  print(hashlib.sha1(json.dumps(lists).encode()).hexdigest()[:10])
ST_STAMP := $(ST_VENV)/.installed-$(if $(PY311),$(shell $(PY311) -c '$(ST_DEPS)'),no-python3.11)

$(ST_STAMP): requirements/constraints-st.txt
	@test -n "$(PY311)" || { echo "Python 3.11 not found: pass PY311=/path/to/python3.11"; exit 1; }
	test -x $(ST_VENV)/bin/python || $(PY311) -m venv $(ST_VENV)
	$(ST_VENV)/bin/python -m pip install -q -c requirements/constraints-st.txt -e '.[st,test]'
	rm -f $(ST_VENV)/.installed*; touch $@

install: $(VENV)/.installed
install-st: $(ST_STAMP)

index: install
	$(PY) -m knowledge build

# The fact slots and questions and the topic rules are written from eligibility/ (python -m bot.generate,
# which rewrites a file only when its content changes: the model retrains only then).
GENERATED := bot/domain/facts.yml bot/rules/topics.yml
$(GENERATED) &: eligibility/facts.yaml eligibility/programmes.yaml actions/topics.yml bot/generate.py | $(VENV)/.installed
	$(PY) -m bot.generate

# --force: rasa fingerprints config and data, not code; without it a code change would reuse the
# component outputs cached in .rasa/cache.
$(MODEL): $(TRAIN_SRC) $(GENERATED) | $(VENV)/.installed
	$(RASA) train $(RASA_ARGS) $(TRAIN_DATA) --out models --fixed-model-name current --force

generate: $(GENERATED)

train: $(MODEL)

var:
	mkdir -p var

actions: install index var
	$(RASA) run actions --actions actions --port $(ACTIONS_PORT)

# Terminal chat: the action server runs in the background for the length of the shell.
chat: install index $(MODEL) var
	@$(RASA) run actions --actions actions --port $(ACTIONS_PORT) > var/actions.log 2>&1 & \
	  pid=$$!; trap "kill $$pid 2>/dev/null" EXIT; \
	  $(PY) -m bot.wait_for http://127.0.0.1:$(ACTIONS_PORT)/health 60 || { tail -20 var/actions.log; exit 1; }; \
	  $(RASA) shell --model $(MODEL) --endpoints $(ENDPOINTS)

# Action server + Rasa server (REST channel, WeChat channel and HTTP API) on localhost:$(PORT). The HTTP API
# needs a JWT: bot.auth starts `rasa run` with the secret of RASA_JWT_SECRET or var/http_api_jwt_secret
# (created on first run, mode 0600; never on the command line) and prints how to mint one.
serve: install index $(MODEL) var
	@$(RASA) run actions --actions actions --port $(ACTIONS_PORT) > var/actions.log 2>&1 & \
	  pid=$$!; trap "kill $$pid 2>/dev/null" EXIT; \
	  $(PY) -m bot.wait_for http://127.0.0.1:$(ACTIONS_PORT)/health 60 || { tail -20 var/actions.log; exit 1; }; \
	  $(PY) -m bot.auth run -- --model $(MODEL) --endpoints $(ENDPOINTS) --credentials bot/credentials.yml \
	    --enable-api --interface 127.0.0.1 --port $(PORT)

# The hotline staff console on 127.0.0.1:5080 (CONSOLE_PORT, CONSOLE_HOST): its own process, beside `make serve`,
# whose HTTP API it calls with an admin JWT from the same secret (RASA_URL, default http://127.0.0.1:5005).
# Accounts: python -m console add-user <name> --role staff|admin (README: 坐席助手).
console: install index var
	$(PY) -m console serve

test: install install-st index $(MODEL)
	$(PY) -m pytest -m "not st" tests
	$(ST_VENV)/bin/python -m pytest -m st tests/knowledge

test-nlu: install
	$(RASA) test nlu --nlu data/nlu --config bot/config.yml --cross-validation --folds 5 --out reports/nlu

test-stories: install index $(MODEL)
	$(PY) -m bot.story_report --model $(MODEL) --stories $(STORIES) --out reports/stories

bench: install index $(MODEL)
	$(PY) -m bench.retrieval
	$(PY) -m bench.facts
	$(PY) -m bench.dialogue
	$(PY) -m bench.wechat
	$(PY) -m bench.console
	$(PY) -m bench.stard
	$(PY) -m bench.load

# Our engine vs plain jieba BM25 on STARD's 1,235 legal questions (index cached in var/stard/, ~30 s).
bench-stard: install var
	$(PY) -m bench.stard

lint: install
	$(VENV)/bin/ruff check .
