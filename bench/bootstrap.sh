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
    echo "        operator_access_users: [{name: admin, keys: ['$(cat "$FLEET_STATE/ssh/id_ed25519.pub")']}]"
  } >"$work/inventory.yml"
}

# seconds CMD...: wall-clock seconds of a command, which must succeed.
seconds() {
  local start ms
  start=$(date +%s%N)
  "$@" >"$work/last.log" 2>&1 || { tail -n 30 "$work/last.log" >&2; die "'$*' failed"; }
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  printf '%d.%d' $((ms / 1000)) $(((ms % 1000) / 100))
}

round() {
  local count="$1"
  write_inventory "$count"
  ansible-playbook -i "$work/inventory.yml" playbooks/local_fleet.yml -e local_fleet_state=absent \
    -e fleet_known_hosts="$work/known_hosts" >/dev/null 2>&1 || true
  seconds ansible-playbook -i "$work/inventory.yml" playbooks/local_fleet.yml \
    -e fleet_known_hosts="$work/known_hosts" >/dev/null
  local first noop
  first=$(seconds ansible-playbook -i "$work/inventory.yml" playbooks/bootstrap.yml --flush-cache)
  noop=$(seconds ansible-playbook -i "$work/inventory.yml" playbooks/bootstrap.yml)
  grep -q 'changed=0' "$work/last.log" || die "the re-run on $count host(s) changed something"
  printf '%-8s %12s %12s\n' "$count" "$first" "$noop"
}

echo "bootstrap over SSH, image $image, $(nproc) cores"
printf '%-8s %12s %12s\n' hosts "first (s)" "no-op (s)"
round 1
round "$hosts"
