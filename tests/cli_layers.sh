#!/bin/bash
# cli_layers.sh — the layering of the sources: core <- render <- record <- app,
# nothing pointing back up. Each file under src/L may include only headers of its
# own layer and the layers below it, and src/core sees no SDL or GL headers.
# src/web (the browser build's hooks into its page) stands apart: it includes
# nothing of the project, and only src/app includes it.
# Usage: cli_layers.sh LOSSCAPE SOURCE_DIR (the program is not used).
set -u
src=$2/src
fail=0
allowed() {   # layer -> the include prefixes it may use
    case $1 in
        core) echo "core" ;;
        render) echo "core render" ;;
        record) echo "core render record" ;;
        web) echo "web" ;;   # the browser build's page hooks (SDL + Emscripten only)
        app) echo "core render record web app" ;;
    esac
}
for layer in core render record web app; do
    ok=$(allowed $layer)
    for f in "$src/$layer"/*.[ch]; do
        while IFS= read -r inc; do
            top=${inc%%/*}
            case " $ok " in
                *" $top "*) ;;
                *) echo "FAIL: ${f#$2/} includes \"$inc\" (layer $layer may use: $ok)"; fail=1 ;;
            esac
        done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\/[^"]*\)".*/\1/p' "$f")
    done
done
if grep -ln '#[[:space:]]*include[[:space:]]*<\(SDL\|GL\|EGL\|cglm\)' "$src"/core/*.[ch]; then
    echo "FAIL: src/core includes SDL, GL or cglm (listed above)"; fail=1
fi
[ $fail = 0 ] && echo ok
exit $fail
