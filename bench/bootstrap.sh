#!/usr/bin/env bash
# Benchmark: the bootstrap over SSH (as in production) on fresh containers.
# Prints the first run and the no-op re-run for 1 host, then for N hosts in parallel.
#   BENCH_HOSTS   hosts in the parallel round (default 10)
#   BENCH_IMAGE   image of the fresh servers (default fleet-base:debian12: the bare debootstrap
#                 system, so the first run downloads what it installs, as on a new cloud server)
source "$(dirname "$0")/../scripts/lib.sh"
enable_error_reporting
"$FLEET_ROOT/scripts/setup" >/dev/null
activate_venv
cd "$FLEET_ROOT"

hosts="${BENCH_HOSTS:-10}"
image="${BENCH_IMAGE:-fleet-base:debian12}"
work=$(mktemp -d)
trap 'ansible-playbook -i "$work/inventory.yml" playbooks/local_fleet.yml -e local_fleet_state=absent \
        -e fleet_known_hosts="$work/known_hosts" >/dev/null 2>&1; rm -rf "$work"' EXIT

write_inventory() {
  local count="$1" i
  {
    # Variables on `all`: the implicit localhost that builds the containers reads them too.
    echo "all:"
    echo "  children:"
    echo "    fleet:"
    echo "      children:"
    echo "        app_servers:"
    echo "          hosts:"
    for i in $(seq 1 "$count"); do
      echo "            bench$i: {ansible_host: 172.29.90.$((10 + i))}"
    done
    echo "  vars:"
    echo "        fleet_image: $image"
    echo "        local_fleet_name_prefix: bench-"
    echo "        local_fleet_networks: [{name: bench-net, subnet: 172.29.90.0/24, gateway: 172.29.90.1}]"
    echo "        ansible_user: admin"
    echo "        ansible_ssh_private_key_file: $FLEET_STATE/ssh/id_ed25519"
    echo "        ansible_ssh_common_args: -o UserKnownHostsFile=$work/known_hosts -o StrictHostKeyChecking=yes"
    echo "        firewall_vpn_cidrs: [172.29.90.0/28]"
    echo "        operator_access_users: [{name: admin, admin: true, keys: ['$(cat "$FLEET_STATE/ssh/id_ed25519.pub")']}]"
  } >"$work/inventory.yml"
}

# servers_cpu_ns COUNT: CPU time (ns) the COUNT bench containers have used so far, from their
# cgroups (v1 cpuacct or v2 cpu.stat): on one machine the servers' work competes with the
# controller's for the same cores.
servers_cpu_ns() {
  local total=0 id file usage
  for id in $(docker inspect -f '{{.Id}}' $(seq -f 'bench-bench%g' 1 "$1")); do
    if file=/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage && [ -r "$file" ]; then
      usage=$(cat "$file")
    else
      file=$(ls /sys/fs/cgroup/system.slice/docker-"$id".scope/cpu.stat /sys/fs/cgroup/docker/"$id"/cpu.stat 2>/dev/null | head -n 1)
      usage=$(( $(awk '$1 == "usage_usec" { print $2 }' "$file") * 1000 ))
    fi
    total=$((total + usage))
  done
  echo "$total"
}

# tenths NANOSECONDS: seconds with one decimal.
tenths() { printf '%d.%d' $(($1 / 1000000000)) $((($1 % 1000000000) / 100000000)); }

# children_cpu FILE: the children's user + system CPU seconds in FILE, the output of `times`
# ("XmY.ZZZs XmY.ZZZs" on its second line).
children_cpu() {
  tail -n 1 "$1" | awk '{ total = 0; for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); total += t[1] * 60 + t[2] } print total }'
}

# measure COUNT CMD...: "WALL CONTROLLER_CPU SERVERS_CPU" in seconds for a command, which must
# succeed. `times` writes to files, not through a command substitution: a subshell would report
# its own (empty) account.
measure() {
  local count="$1" start servers ms
  shift
  servers=$(servers_cpu_ns "$count")
  times >"$work/times.before"
  start=$(date +%s%N)
  "$@" >"$work/last.log" 2>&1 || { tail -n 30 "$work/last.log" >&2; die "'$*' failed"; }
  times >"$work/times.after"
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  servers=$(( $(servers_cpu_ns "$count") - servers ))
  echo "$(tenths $((ms * 1000000))) $(awk -v a="$(children_cpu "$work/times.after")" -v b="$(children_cpu "$work/times.before")" \
    'BEGIN { printf "%.1f", a - b }') $(tenths "$servers")"
}

round() {
  local count="$1"
  write_inventory "$count"
  ansible-playbook -i "$work/inventory.yml" playbooks/local_fleet.yml -e local_fleet_state=absent \
    -e fleet_known_hosts="$work/known_hosts" >/dev/null 2>&1 || true
  ansible-playbook -i "$work/inventory.yml" playbooks/local_fleet.yml \
    -e fleet_known_hosts="$work/known_hosts" >"$work/last.log" 2>&1 || { tail -n 30 "$work/last.log" >&2; die "fleet set-up failed"; }
  local first noop
  measure "$count" ansible-playbook -i "$work/inventory.yml" playbooks/bootstrap.yml --flush-cache >"$work/first"
  measure "$count" ansible-playbook -i "$work/inventory.yml" playbooks/bootstrap.yml >"$work/noop"
  first=$(cat "$work/first")
  noop=$(cat "$work/noop")
  grep -q 'changed=0' "$work/last.log" || die "the re-run on $count host(s) changed something"
  # shellcheck disable=SC2086 # two lists of three words each
  printf '%-6s %9s %9s %9s %9s %9s %9s\n' "$count" $first $noop
  echo "$count $first $noop" >>"$work/rounds"
}

cores=$(nproc)
echo "bootstrap over SSH, image $image, $cores cores"
echo "wall: elapsed seconds; controller: CPU seconds of ansible-playbook and its processes;"
echo "servers: CPU seconds used inside the bench containers"
printf '%-6s %29s   %29s\n' "" "------------ first ------------" "------------ no-op ------------"
printf '%-6s %9s %9s %9s %9s %9s %9s\n' hosts wall controller servers wall controller servers
round 1
round "$hosts"
# On one machine the controller and every server share the cores: a run cannot take less wall
# time than its CPU time spread over all of them.
awk -v cores="$cores" '
  NR == 1 { one_first = $2; one_noop = $5 }
  NR == 2 {
    printf "%d hosts / 1 host: first %.1fx, no-op %.1fx (goal 1.5x)\n", $1, $2 / one_first, $5 / one_noop
    printf "CPU floor of the %d-host round on %d cores: first %.1f s, no-op %.1f s (1.5x one host: %.1f s, %.1f s)\n",
      $1, cores, ($3 + $4) / cores, ($6 + $7) / cores, 1.5 * one_first, 1.5 * one_noop
  }' "$work/rounds"
