# Finds files and directories that anyone may write to in the trees named, sticky directories
# (like /tmp) excepted, without crossing into other file systems; "apply" removes the
# other-write bit from them. Arguments: apply|check, then trees (missing ones are skipped).
# Prints each path found.
mode=$1
shift
trees=
for tree in "$@"; do
  [ -d "$tree" ] && trees="$trees $tree"
done
[ -n "$trees" ] || exit 0
if [ "$mode" = apply ]; then
  find $trees -xdev \( -type f -o -type d ! -perm -1000 \) -perm -0002 -print -exec chmod o-w {} +
else
  find $trees -xdev \( -type f -o -type d ! -perm -1000 \) -perm -0002 -print
fi
