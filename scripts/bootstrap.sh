# Sourced by scripts/run and scripts/test: makes .venv with the pinned requirements (quietly, once per change).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.requirements-stamp
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "==> 安装依赖（requirements-dev.txt）"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt 2>&1 | grep -v "is ignored: it is neither" || true
  .venv/bin/python -c "import django, rest_framework, celery, openpyxl" # fail loudly if the install did not work
  echo "$want" > "$stamp"
fi
export PATH="$PWD/.venv/bin:$PATH"
