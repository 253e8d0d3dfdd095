# The README documents what the program has: every key of the window (the same
# lines `losscape --keys` prints from the key table), every option of --help and
# every scene key.
source "$(dirname "$0")/lib/cli.sh"
README="$SRC/README.md"

while IFS= read -r line; do
  check_true "README lists the key line '$line'" grep -qF -- "$line" "$README"
done < <("$LOSSCAPE" --keys)

for opt in $("$LOSSCAPE" --help | grep -oE '^  --[a-z-]+' | sort -u); do
  check_true "README mentions $opt" grep -qF -- "$opt" "$README"
done

# Scene keys: the first column of the key table in scene_keys.c (and the table is found).
check_true "the scene key table is found in scene_keys.c" \
  test "$(grep -cE '^    \{ "[a-z_]+", set_' "$SRC/src/core/scene_keys.c")" -ge 30
for key in $(grep -oE '^    \{ "[a-z_]+", set_' "$SRC/src/core/scene_keys.c" | cut -d'"' -f2); do
  check_true "README documents the scene key '$key'" grep -qF -- "\`$key\`" "$README"
done
# The README's CSV example is what the command it names prints.
example=$("$LOSSCAPE" --headless --surface rosenbrock --start -1.5,2 --steps 1 --opt adam:lr=0.05 --csv -)
while IFS= read -r line; do
  check_true "README shows the CSV line '$line'" grep -qxF -- "$line" "$README"
done <<<"$example"
# The README's pictures (scripts/readme-images.sh) are there.
for img in $(grep -oE 'docs/readme/[A-Za-z0-9_.-]+' "$README" | sort -u); do
  check_true "README picture $img exists" test -s "$SRC/$img"
done
check_true "the README shows its pictures" grep -q 'docs/readme/race.gif' "$README"
finish
