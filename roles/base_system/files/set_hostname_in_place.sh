# Sets the host name without hostnamectl, for a container whose /etc/hostname is a bind mount
# of the engine's (hostnamectl replaces the file by renaming, which a bind mount refuses).
# Arguments: apply|check, name. Prints what it changed (check: would change).
mode=$1
name=$2
status=0
if [ "$(cat /etc/hostname 2>/dev/null)" != "$name" ]; then
  if [ "$mode" = apply ]; then
    printf '%s\n' "$name" > /etc/hostname || status=1
  fi
  echo "changed /etc/hostname"
fi
if [ "$(hostname)" != "$name" ]; then
  if [ "$mode" = apply ]; then
    hostname "$name" || status=1
  fi
  echo "changed the kernel host name"
fi
exit $status
