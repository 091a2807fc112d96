# Brings the running kernel to the wanted values. Arguments: apply|check, then key=value pairs.
# Prints "changed KEY OLD -> NEW" for each key it set (check: would set), "readonly KEY" where
# /proc/sys does not allow writing (a container), "absent KEY" where this kernel has no such key.
mode=$1
shift
status=0
for pair in "$@"; do
  key=${pair%%=*}
  want=${pair#*=}
  if ! now=$(sysctl -n "$key" 2>/dev/null); then
    echo "absent $key"
    continue
  fi
  # Multi-value keys come back tab-separated; compare word for word.
  now=$(echo $now)
  [ "$now" = "$want" ] && continue
  if [ ! -w "/proc/sys/$(echo "$key" | tr . /)" ]; then
    echo "readonly $key"
    continue
  fi
  if [ "$mode" = apply ] && ! sysctl -q -w "$key=$want"; then
    echo "failed $key"
    status=1
    continue
  fi
  echo "changed $key $now -> $want"
done
exit $status
