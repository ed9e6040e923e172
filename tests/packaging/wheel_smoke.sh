#!/usr/bin/env bash
# The Python package as a user installs it. For each CPython the machine has (3.11, and 3.12
# and 3.13 when pyenv has them): a manylinux2014 wheel (maturin with zig as the linker, glibc
# 2.17), installed into a fresh venv with no cargo on PATH, running the README's Python example
# and tests/packaging/wheel_smoke.py from outside the repository. Then the sdist, built into a
# wheel from source in a fresh venv. A debug build: what is tested is the packaging, not speed.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
maturin() { VIRTUAL_ENV="$root/.venv" PATH="$root/.venv/bin:$PATH" "$root/.venv/bin/maturin" "$@"; }

interpreters=("$(command -v python3.11 || command -v python3)")
pyenv_root=$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")
for minor in 12 13; do
  found=$(ls -d "$pyenv_root"/versions/3."$minor".*/bin/python3."$minor" 2>/dev/null | sort -V | tail -1 || true)
  if [ -n "$found" ]; then interpreters+=("$found"); else echo "CPython 3.$minor: not on this machine, skipped"; fi
done

clean_path=/usr/local/bin:/usr/bin:/bin # no cargo, no rustc
for py in "${interpreters[@]}"; do
  version=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  tag="cp${version/./}"
  out="$work/wheels-$tag"
  maturin build -q --profile dev --zig --compatibility manylinux2014 -i "$py" -m bindings-python/Cargo.toml -o "$out"
  wheel=$(ls "$out"/fleetops-*-"$tag"-"$tag"-manylinux2014_x86_64*.whl)
  echo "built $(basename "$wheel")"
  "$py" -m venv "$work/venv-$tag"
  env -i HOME="$HOME" PATH="$work/venv-$tag/bin:$clean_path" sh -c '! command -v cargo >/dev/null' \
    || { echo "cargo is on the install PATH" >&2; exit 1; }
  env -i HOME="$HOME" PATH="$work/venv-$tag/bin:$clean_path" \
    pip install -q --disable-pip-version-check --no-deps "$wheel"
  (cd "$work" && env -i HOME="$HOME" PATH="$work/venv-$tag/bin:$clean_path" \
    python "$root/tests/packaging/wheel_smoke.py" "$root/README.md")
done

# The sdist: every file a build from source needs (the core crate included), built into a wheel.
maturin sdist -m bindings-python/Cargo.toml -o "$work/sdist" >/dev/null
sdist=$(ls "$work"/sdist/fleetops-*.tar.gz)
echo "built $(basename "$sdist")"
python3 -m venv "$work/venv-sdist"
MATURIN_PEP517_ARGS="--profile dev" "$work/venv-sdist/bin/pip" install -q --disable-pip-version-check --no-deps "$sdist"
(cd "$work" && "$work/venv-sdist/bin/python" "$root/tests/packaging/wheel_smoke.py" "$root/README.md")
