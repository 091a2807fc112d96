# Reads, without changing anything, whether unattended-upgrades is installed (first line), then
# what `systemctl is-enabled` says of each timer named as an argument (a line each).
dpkg-query --show --showformat='${db:Status-Status}\n' unattended-upgrades 2>/dev/null || echo not-installed
systemctl is-enabled "$@"
exit 0
