# Union Desk. `make run` and `make test` work on a fresh machine: both install first.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's chromium + chromedriver for the browser tests (skipped when absent), and a CJK font for
# readable screenshots. Only as root with apt-get; never fails the build.
BROWSER_PKGS := chromium chromium-driver fonts-noto-cjk
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -d /usr/share/fonts/opentype/noto ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		export DEBIAN_FRONTEND=noninteractive; \
		{ apt-get install -y $(BROWSER_PKGS) || { apt-get update && apt-get install -y $(BROWSER_PKGS); }; } \
		|| echo "chromium not installed: browser tests will be skipped"; \
	else echo "chromium not installed (needs root and apt-get): browser tests will be skipped"; fi

run: install
	$(BIN)/python -m bot run

test: install browser
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS)

bench: install
	$(BIN)/python benchmarks/webhook.py

clean:
	rm -rf $(VENV) instance .pytest_cache
