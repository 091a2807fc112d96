# Reads, without changing anything, the state the firewall role acts on. Arguments: TABLE DIR UNIT
# ROLLBACK_UNIT CANDIDATE (the rendered ruleset). Prints KEY=VALUE lines, then, when the loaded
# table differs from the candidate, a diff between the two.
# The candidate is loaded into a throw-away network namespace and listed there, so the kernel's
# rendering of it can be compared with what the host runs now, whatever edited the table.
set -euo pipefail
table=$1 dir=$2 unit=$3 rollback_unit=$4
# Without its trailing newlines, as $(cat) reads the file below.
candidate=$(printf "%s" "$5")
echo "package=$(dpkg-query --show --showformat='${db:Status-Status}' nftables 2>/dev/null || echo not-installed)"
echo "unit=$(systemctl is-enabled "$unit" 2>/dev/null || true),$(systemctl is-active "$unit" 2>/dev/null || true)"
if [ "$(cat "$dir/active.nft" 2>/dev/null || true)" = "$candidate" ]; then
  echo active_file=current
else
  echo active_file=stale
fi
if systemctl is-active --quiet "$rollback_unit.timer"; then echo rollback=pending; else echo rollback=none; fi
if ! command -v nft >/dev/null; then
  echo loaded=stale
  exit 0
fi
# $table is "FAMILY NAME": two words on purpose.
live=$(nft -s list table $table 2>/dev/null || true)
want=$(printf '%s\n' "$candidate" | unshare --net sh -c "nft -f /dev/stdin && nft -s list table $table")
if [ "$live" = "$want" ]; then
  echo loaded=current
  exit 0
fi
echo loaded=stale
diff -u --label kernel --label candidate.nft <(printf '%s\n' "$live") <(printf '%s\n' "$want") || true
