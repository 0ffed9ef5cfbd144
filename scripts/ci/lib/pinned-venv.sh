# Sourced by the scripts that install a pinned Python tool into a repo-local venv (install-moto.sh,
# install-barman.sh, checkov.sh). Not executable on its own.
#
# pinned_venv TOOL DIST VERSION REQUIREMENT ENTRYPOINT VENV PYTHON NOTE
#   Makes VENV hold exactly DIST==VERSION (installed as REQUIREMENT, e.g. "moto[server]==5.2.5") with
#   VENV/bin/ENTRYPOINT present, creating the venv with PYTHON. Idempotent: a venv that already has the
#   pinned version is left alone, so CI and developers call it before every run at no cost. Prints VENV on
#   success; says what it is doing on stderr (NOTE: how long it takes); exits 1 when the install did not
#   produce the pinned version.
pinned_venv() {
  local tool="$1" dist="$2" version="$3" requirement="$4" entrypoint="$5" venv="$6" python="$7" note="$8"
  installed_version() {
    "$venv/bin/python" -c "import importlib.metadata as m; print(m.version('$dist'))" 2>/dev/null || true
  }
  if [[ -x "$venv/bin/$entrypoint" && "$(installed_version)" == "$version" ]]; then
    echo "$venv"
    return 0
  fi
  if ! command -v "$python" >/dev/null 2>&1; then
    echo "$tool: '$python' not found" >&2
    return 1
  fi
  echo "$tool: installing $requirement into $venv ($note) ..." >&2
  mkdir -p "$(dirname "$venv")"
  if [[ ! -x "$venv/bin/python" ]]; then
    "$python" -m venv "$venv"
  fi
  # --disable-pip-version-check: the pip self-check is a network call we do not need.
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$requirement" >&2
  if [[ "$(installed_version)" != "$version" || ! -x "$venv/bin/$entrypoint" ]]; then
    echo "$tool: $dist $version did not install into $venv" >&2
    return 1
  fi
  echo "$venv"
}
