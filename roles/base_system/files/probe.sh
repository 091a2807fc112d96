# Reads, without changing anything, the state the base_system tasks act on; one KEY=VALUE line
# each, so that on a converged host the tasks that would find nothing to do are skipped.
status() { dpkg-query --show --showformat='${db:Status-Status}' "$1" 2>/dev/null || echo not-installed; }
echo "timesyncd_package=$(status systemd-timesyncd)"
echo "cloud_init_package=$(status cloud-init)"
echo "timesyncd_enabled=$(systemctl is-enabled systemd-timesyncd.service 2>/dev/null)"
echo "timesyncd_active=$(systemctl is-active systemd-timesyncd.service 2>/dev/null)"
echo "hostname=$(hostname)"
echo "hostname_file=$(head -n 1 /etc/hostname 2>/dev/null)"
echo "hosts_line=$(grep -m 1 '^127\.0\.1\.1[[:space:]]' /etc/hosts)"
