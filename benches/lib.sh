# Shared by the bench scripts: `source "$ROOT/benches/lib.sh"`.

# Installs wrk from Debian's packages when it is missing.
need_wrk() {
  command -v wrk >/dev/null && return
  echo "installing wrk..." >&2
  local sudo
  sudo=$([[ $(id -u) == 0 ]] || echo sudo)
  $sudo apt-get install -y wrk >&2 || { $sudo apt-get update >&2 && $sudo apt-get install -y wrk >&2; }
}
