# bash. Brings the running system to the os_hardening baseline, item by item, for the items
# files/probe.py found wrong: this script reads nothing of its own, so there is one reading logic
# (the probe) and one place that changes the running state (here). Arguments, in sections:
#   --sysctl KEY=VALUE...        sets each kernel parameter now ("sysctl changed KEY -> VALUE")
#   --suid PATH OWNER GROUP MODE...  (four words an item) records MODE, which has no set-ID bits,
#                                with dpkg-statoverride --update, so that upgrades keep it, and
#                                applies it ("suid stripped PATH -> MODE")
#   --world-writable PATH...     removes the other-write bit ("world-writable PATH")
# Prints one line a change. Exits 1 when something could not be changed, after trying the rest.
status=0
sysctl_words=() suid_words=() world_writable_words=()
section=
for word in "$@"; do
  case "$word" in
    --sysctl|--suid|--world-writable) section=${word#--}; continue ;;
  esac
  case "$section" in
    sysctl) sysctl_words+=("$word") ;;
    suid) suid_words+=("$word") ;;
    world-writable) world_writable_words+=("$word") ;;
    *) echo "os_hardening.sh: '$word' comes before any section flag" >&2; exit 2 ;;
  esac
done
if [ $(( ${#suid_words[@]} % 4 )) -ne 0 ]; then
  echo "os_hardening.sh: --suid takes PATH OWNER GROUP MODE for each item" >&2
  exit 2
fi

for pair in "${sysctl_words[@]}"; do
  if sysctl -q -w "$pair"; then
    echo "sysctl changed ${pair%%=*} -> ${pair#*=}"
  else
    echo "sysctl failed ${pair%%=*}" >&2
    status=1
  fi
done

set -- "${suid_words[@]}"
while [ "$#" -ge 4 ]; do
  path=$1 owner=$2 group=$3 mode=$4
  shift 4
  # An earlier record (one that kept a set-ID bit) must go before --add takes the new one.
  if dpkg-statoverride --list "$path" >/dev/null; then
    dpkg-statoverride --quiet --remove "$path" || { status=1; continue; }
  fi
  if dpkg-statoverride --update --add "$owner" "$group" "$mode" "$path"; then
    echo "suid stripped $path -> $mode"
  else
    status=1
  fi
done

if [ "${#world_writable_words[@]}" -gt 0 ]; then
  # One chmod for all; it goes on past a path it cannot change, and names that path on stderr.
  chmod o-w -- "${world_writable_words[@]}" || status=1
  printf 'world-writable %s\n' "${world_writable_words[@]}"
fi
exit $status
