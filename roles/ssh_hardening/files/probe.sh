# Reads, without changing anything, what ssh_hardening acts on. Arguments: WHAT SERVICE SOCKET ADDR.
# WHAT "all": the OpenSSH package and version, the algorithms it supports (ssh -Q), the sshd units,
# the connecting user, then the effective configuration. WHAT "effective": only the latter, as
# `sshd -T` prints it (drop-ins included) globally and for root and the connecting user coming
# from ADDR, so that a Match block in a drop-in that undoes the hardening shows.
set -o pipefail
what=$1 service=$2 socket=$3 check_addr=$4
user=${SUDO_USER:-$(id -un)}

effective() {
  # sshd -T needs /run/sshd, which systemd removes while a socket-activated ssh.service is idle.
  install -d -m 0755 /run/sshd
  keys='^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|pubkeyauthentication|permitemptypasswords'
  keys+='|authenticationmethods|allowgroups|kexalgorithms|ciphers|macs|hostkeyalgorithms|hostkey) '
  /usr/sbin/sshd -T | grep -E "$keys" | sed 's/^/effective global /' || return 1
  for login in root "$user"; do
    /usr/sbin/sshd -T -C "user=$login,host=ssh-hardening-check,addr=$check_addr" | grep -E "$keys" \
      | sed "s/^/effective user=$login /" || return 1
  done
}

if [ "$what" = effective ]; then
  effective
  exit
fi
echo "state server=$(dpkg-query -W -f='${Status}' openssh-server 2>/dev/null)"
if [ -x /usr/sbin/sshd ]; then
  /usr/sbin/sshd -V 2>&1 | head -n 1
  for query in kex cipher mac key-sig; do ssh -Q "$query" | sed "s/^/$query /"; done
fi
echo "state service=$(systemctl is-active "$service")"
echo "state socket=$(systemctl is-active "$socket")"
echo "state user=$user"
echo "state user_groups=$(id -nG "$user" 2>/dev/null | tr ' ' ',')"
echo "state root_over_ssh=${SSH_CONNECTION:+yes}"
# A configuration sshd refuses (a new host's, before this role) has no effective lines: the
# check after the change reads them again then.
if [ -x /usr/sbin/sshd ] && lines=$(effective 2>/dev/null); then
  printf '%s\n' "$lines"
else
  echo "state effective=unreadable"
fi
exit 0
