# bash. Reads (MODE "check") or brings the running system to (MODE "apply") the os_hardening baseline,
# in one process for every concern. Arguments: MODE, then sections, each a flag and its words:
#   --units UNIT...         "unit NAME STATE" (systemctl is-enabled), read only
#   --packages PACKAGE...   "package NAME STATUS" (dpkg; unknown ones print nothing), read only
#   --sysctl KEY=VALUE...   "sysctl changed KEY OLD -> NEW" (check: would set), "sysctl readonly KEY"
#                           where /proc/sys refuses writes (a container), "sysctl absent KEY" where
#                           this kernel has no such key, "sysctl failed KEY"
#   --suid PATH...          "suid stripped PATH OLD -> NEW": set-user-ID and set-group-ID bits
#                           removed, recorded with dpkg-statoverride so that upgrades keep it
#   --world-writable TREE...  "world-writable PATH": other-write bit removed from files and
#                           non-sticky directories, without crossing into other file systems
# Missing paths and trees are skipped. Exits 1 when something could not be applied.
mode=$1
shift
status=0

units() {
  for unit in "$@"; do
    printf 'unit %s %s\n' "$unit" "$(systemctl is-enabled "$unit" 2>/dev/null)"
  done
}

packages() {
  [ "$#" -gt 0 ] || return 0
  dpkg-query --show --showformat='package ${Package} ${db:Status-Status}\n' "$@" 2>/dev/null
}

sysctl_values() {
  for pair in "$@"; do
    key=${pair%%=*}
    want=${pair#*=}
    if ! now=$(sysctl -n "$key" 2>/dev/null); then
      echo "sysctl absent $key"
      continue
    fi
    # Multi-value keys come back tab-separated; compare word for word.
    now=$(echo $now)
    [ "$now" = "$want" ] && continue
    if [ ! -w "/proc/sys/$(echo "$key" | tr . /)" ]; then
      echo "sysctl readonly $key"
      continue
    fi
    if [ "$mode" = apply ] && ! sysctl -q -w "$key=$want"; then
      echo "sysctl failed $key"
      status=1
      continue
    fi
    echo "sysctl changed $key $now -> $want"
  done
}

suid_bits() {
  for path in "$@"; do
    [ -e "$path" ] || continue
    path=$(readlink -f "$path")
    [ -f "$path" ] && [ -n "$(find "$path" -maxdepth 0 -perm /6000)" ] || continue
    owner=$(stat -c %U "$path")
    group=$(stat -c %G "$path")
    old=$(stat -c %a "$path")
    new=$(printf '%04o' $((0$old & 01777)))
    if [ "$mode" = apply ]; then
      if dpkg-statoverride --list "$path" >/dev/null; then
        dpkg-statoverride --quiet --remove "$path" || status=1
      fi
      dpkg-statoverride --update --add "$owner" "$group" "$new" "$path" || { status=1; continue; }
    fi
    echo "suid stripped $path $old -> $new"
  done
}

world_writable() {
  trees=
  for tree in "$@"; do
    [ -d "$tree" ] && trees="$trees $tree"
  done
  [ -n "$trees" ] || return 0
  if [ "$mode" = apply ]; then
    find $trees -xdev \( -type f -o -type d ! -perm -1000 \) -perm -0002 -print -exec chmod o-w {} +
  else
    find $trees -xdev \( -type f -o -type d ! -perm -1000 \) -perm -0002 -print
  fi | sed 's/^/world-writable /'
  # find runs in the pipeline's subshell: its failure (a chmod refused) is read back here.
  [ "${PIPESTATUS[0]}" -eq 0 ] || status=1
}

# Collect each section's words, then run the sections in a fixed order.
units_words=() packages_words=() sysctl_words=() suid_words=() world_writable_words=()
section=
for word in "$@"; do
  case "$word" in
    --units|--packages|--sysctl|--suid|--world-writable) section=${word#--}; continue ;;
  esac
  case "$section" in
    units) units_words+=("$word") ;;
    packages) packages_words+=("$word") ;;
    sysctl) sysctl_words+=("$word") ;;
    suid) suid_words+=("$word") ;;
    world-writable) world_writable_words+=("$word") ;;
    *) echo "os_hardening.sh: '$word' comes before any section flag" >&2; exit 2 ;;
  esac
done
units "${units_words[@]}"
packages "${packages_words[@]}"
sysctl_values "${sysctl_words[@]}"
suid_bits "${suid_words[@]}"
world_writable "${world_writable_words[@]}"
exit $status
