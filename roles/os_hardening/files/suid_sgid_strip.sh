# Removes the set-user-ID and set-group-ID bits from the files named. Arguments: apply|check,
# then paths (missing ones are skipped). dpkg-statoverride records the new mode, so a package
# upgrade does not put the bits back. Prints "stripped PATH OLD -> NEW" per file changed.
mode=$1
shift
status=0
for path in "$@"; do
  [ -e "$path" ] || continue
  path=$(readlink -f "$path")
  [ -f "$path" ] && [ -n "$(find "$path" -maxdepth 0 -perm /6000)" ] || continue
  owner=$(stat -c %U "$path")
  group=$(stat -c %G "$path")
  old=$(stat -c %a "$path")
  new=$(printf '%04o' $((0$old & 01777)))
  if [ "$mode" = apply ]; then
    if dpkg-statoverride --list "$path" >/dev/null; then
      dpkg-statoverride --quiet --remove "$path" || status=1
    fi
    dpkg-statoverride --update --add "$owner" "$group" "$new" "$path" || { status=1; continue; }
  fi
  echo "stripped $path $old -> $new"
done
exit $status
