# Sets the host name without hostnamectl, for a container whose /etc/hostname is a bind mount
# of the engine's (hostnamectl replaces the file by renaming, which a bind mount refuses).
# Arguments: apply|check, the name, then the parts that files/probe.py found different: "file"
# (/etc/hostname) and "kernel". Prints what it changed (check: would change); reads nothing.
mode=$1
name=$2
shift 2
status=0
for part in "$@"; do
  case "$part" in
    file)
      if [ "$mode" = apply ]; then printf '%s\n' "$name" > /etc/hostname || status=1; fi
      echo "changed /etc/hostname" ;;
    kernel)
      if [ "$mode" = apply ]; then hostname "$name" || status=1; fi
      echo "changed the kernel host name" ;;
    *) echo "set_hostname_in_place: unknown part '$part'" >&2; exit 2 ;;
  esac
done
exit $status
