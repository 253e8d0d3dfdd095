#!/bin/bash
# cli_figure.sh — --figure FILE.svg|FILE.pdf (issue 13):
#   the SVG parses (xmllint) and strokes exactly one path in each run's colour (its
#   trail), with as many such colours as runs; its text is <text> elements (title,
#   legend, ticks, the y name rotated; no glyph outlines), data planes name their
#   axes (w1/w2, PC 1/PC 2), a Chinese caption is one <text> in the CJK font's
#   family; the PDF has the asked page size, one
#   embedded image (the colour map), its title, legend and caption as text
#   (pdftotext), Chinese text through an installed CJK font when there is one;
#   the PDF, rendered by pdftoppm at the size of a --screenshot of the same run,
#   matches the screenshot's map: block-mean difference (tests/figure_compare.py,
#   32x32 blocks, 0..255) at most 10, while the same figure in another colour map
#   differs by more than 30; a failing run leaves no file and keeps an old one;
#   the theme: white page and black strings by default and with --theme light (the
#   same bytes), the window's near-black page and light strings with --theme dark
#   or a scene's theme = dark (SVG and PDF).
# Usage: cli_figure.sh LOSSCAPE SOURCE_DIR. The screenshot comparison needs GL: without
# a context it is skipped (exit 77 at the end) unless CI=true or LOSSCAPE_REQUIRE_GL=1.
set -u
bin=$1
src=$2
export SDL_VIDEODRIVER=${SDL_VIDEODRIVER:-offscreen}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
source "$(dirname "$0")/lib/gl.sh"
for t in xmllint pdftoppm pdftotext pdfinfo pdfimages ffmpeg python3; do
    command -v $t >/dev/null || fail "$t is not installed (scripts/setup.sh installs it)"
done

cat > "$tmp/f.scene" <<'SCENE'
title = Figure test
surface = rosenbrock
start = -1.2, 1
opt = sgd: lr=0.002
opt = momentum: lr=0.002
opt = adam: lr=0.2
view = 2d
overlays = contours, log
SCENE

# ---- SVG: parses; one stroked path per run colour ----
strokes() {   # FILE: "COUNT COLOUR" for each non-grey stroke colour of <path> elements
    python3 - "$1" <<'PY'
import re, sys, xml.etree.ElementTree as ET
counts = {}
for el in ET.parse(sys.argv[1]).iter('{http://www.w3.org/2000/svg}path'):
    m = re.search(r'stroke:\s*rgb\(([^)]*)\)', el.get('style', ''))
    if not m:
        continue
    rgb = tuple(round(float(v.rstrip('%')), 3) for v in m.group(1).split(','))
    if len(set(rgb)) > 1:   # not black, white or grey: a run's colour
        counts[rgb] = counts.get(rgb, 0) + 1
for c, n in sorted(counts.items()):
    print(n, c)
PY
}
"$bin" --scene "$tmp/f.scene" --steps 200 --figure "$tmp/a.svg" 2>"$tmp/err" || { cat "$tmp/err"; fail "--figure a.svg"; }
xmllint --noout "$tmp/a.svg" || fail "the SVG does not parse"
s=$(strokes "$tmp/a.svg")
[ "$(echo "$s" | wc -l)" -eq 3 ] || fail "3 runs, but these run-coloured strokes: $s"
echo "$s" | awk '$1 != 1 { exit 1 }' || fail "a run colour strokes more than one path: $s"
"$bin" --scene "$tmp/f.scene" --opt adam:lr=0.2 --steps 50 --figure "$tmp/b.svg" || fail "--figure b.svg"
[ "$(strokes "$tmp/b.svg" | wc -l)" -eq 1 ] || fail "1 run, but: $(strokes "$tmp/b.svg")"
grep -c '<image' "$tmp/a.svg" | grep -qx 1 || fail "the SVG should embed exactly one image"

# ---- SVG text: <text> elements (not glyph outlines), title, legend, ticks, axis names ----
svgtext() {   # FILE XPATH
    xmllint --xpath "$2" "$1" 2>/dev/null
}
n=$(svgtext "$tmp/a.svg" "count(//*[local-name()='text'])")
[ "${n:-0}" -ge 15 ] || fail "the SVG has ${n:-0} <text> elements (title, legend, ticks, axis names)"
[ "$(svgtext "$tmp/a.svg" "count(//*[local-name()='symbol'])")" = 0 ] || fail "the SVG still draws glyph outlines"
for want in "Figure test" "momentum L " "x" "y" "-2" "3"; do
    [ "$(svgtext "$tmp/a.svg" "count(//*[local-name()='text'][starts-with(normalize-space(.), '$want')])")" -ge 1 ] ||
        fail "no <text> element starts with '$want'"
done
[ "$(svgtext "$tmp/a.svg" "count(//*[local-name()='text'][.='y'][contains(@transform, 'matrix')])")" = 1 ] ||
    fail "the y axis name is not a rotated <text>"
# axis names on data planes: the two parameters, the principal directions
"$bin" --scene features-unscaled --steps 20 --figure "$tmp/p.svg" || fail "--figure on a data plane"
for want in w1 w2; do
    [ "$(svgtext "$tmp/p.svg" "count(//*[local-name()='text'][.='$want'])")" = 1 ] || fail "no axis name '$want' on features-unscaled"
done
"$bin" --scene moons-mlp-bn --steps 20 --figure "$tmp/m.svg" || fail "--figure on a PCA plane"
[ "$(svgtext "$tmp/m.svg" "count(//*[local-name()='text'][starts-with(., 'PC 1 (')])")" = 1 ] || fail "no axis name 'PC 1' on moons-mlp-bn"

# ---- PDF: page size, one image, real text ----
"$bin" --scene "$tmp/f.scene" --steps 300 --figure "$tmp/f.pdf" --figure-size 7x5in \
    --caption "Three runs on the banana valley" 2>"$tmp/err" || { cat "$tmp/err"; fail "--figure f.pdf"; }
pdfinfo "$tmp/f.pdf" | grep -q 'Page size: *504 x 360 pts' || fail "7x5in: $(pdfinfo "$tmp/f.pdf" | grep 'Page size')"
[ "$(pdfimages -list "$tmp/f.pdf" | tail -n +3 | wc -l)" -eq 1 ] || fail "the PDF should hold exactly one image"
txt=$(pdftotext "$tmp/f.pdf" -)
for want in "Figure test" "Three runs on the banana valley" "momentum" "adam"; do
    echo "$txt" | grep -q "$want" || fail "the PDF's text lacks '$want'"
done
"$bin" --scene "$tmp/f.scene" --steps 10 --figure "$tmp/single.pdf" || fail "default size"
pdfinfo "$tmp/single.pdf" | grep -q 'Page size: *252 x' || fail "the default is not 3.5in wide"
"$bin" --scene "$tmp/f.scene" --steps 10 --figure "$tmp/d.pdf" --figure-size double || fail "double"
pdfinfo "$tmp/d.pdf" | grep -q 'Page size: *504 x' || fail "double is not 7in wide"

# ---- Chinese caption ----
zh="动量法越过最低点后又折返"
"$bin" --scene "$tmp/f.scene" --steps 10 --figure "$tmp/zh.pdf" --caption "$zh" 2>"$tmp/err" || fail "Chinese caption"
"$bin" --scene "$tmp/f.scene" --steps 10 --figure "$tmp/zh.svg" --caption "$zh" 2>/dev/null || fail "Chinese caption (SVG)"
xmllint --noout "$tmp/zh.svg" || fail "the SVG with a Chinese caption does not parse"
if fc-list :lang=zh | grep -q .; then
    pdftotext "$tmp/zh.pdf" - | grep -q "$zh" || fail "the Chinese caption is not text in the PDF"
    [ -s "$tmp/err" ] && { cat "$tmp/err"; fail "a warning although a CJK font is installed"; }
    # (U+52A8 is 动; written out, since printf "'动" gives its first byte in the C locale)
    fam=$(fc-match -f '%{family[0]}' "sans-serif:charset=52a8")
    [ "$(svgtext "$tmp/zh.svg" "count(//*[local-name()='text'][.='$zh'][contains(@font-family, \"$fam\")])")" = 1 ] ||
        fail "the Chinese caption is not one <text> in the CJK family '$fam'"
else
    grep -q "no installed font has every character" "$tmp/err" || fail "no CJK font and no warning"
fi

# ---- failures leave nothing, keep what was there ----
echo old > "$tmp/keep.pdf"
"$bin" --scene "$tmp/f.scene" --steps 10 --figure "$tmp/keep.pdf" --figure-size 7inx1in 2>"$tmp/err"
rc=$?
[ $rc -eq 2 ] || fail "a size with no room for the map: exit $rc"
[ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "more than one line: $(cat "$tmp/err")"
[ "$(cat "$tmp/keep.pdf")" = old ] || fail "the old file was changed"
[ "$(ls -A "$tmp" | grep -c '^\.')" -eq 0 ] || fail "a hidden temporary file was left: $(ls -A "$tmp")"

# ---- the theme (issue 9): a figure is a paper's page, black on white, by default and
# with --theme light (the same bytes); --theme dark (or a scene's theme = dark) gives
# the window's dark look: the page near-black, every string light; PDF as SVG ----
page_of() {   # SVG: the fill of the first <rect> (the page), as cairo writes it
    grep -o '<rect x="0" y="0"[^>]*style="fill:rgb([^)]*)' "$1" | head -1 | sed 's/.*fill:rgb(//; s/)$//'
}
"$bin" --scene "$tmp/f.scene" --steps 30 --figure "$tmp/t0.svg" || fail "figure without --theme"
"$bin" --scene "$tmp/f.scene" --steps 30 --theme light --figure "$tmp/tl.svg" || fail "--theme light figure"
"$bin" --scene "$tmp/f.scene" --steps 30 --theme dark --figure "$tmp/td.svg" || fail "--theme dark figure"
cmp -s "$tmp/t0.svg" "$tmp/tl.svg" || fail "--theme light changed the figure, which is light already"
[ "$(page_of "$tmp/t0.svg")" = "100%,100%,100%" ] || fail "the default page is not white: $(page_of "$tmp/t0.svg")"
case $(page_of "$tmp/td.svg") in
    [0-9].*%,[0-9].*%,[0-9]*.*%) ;;
    *) fail "--theme dark: the page is not near-black: $(page_of "$tmp/td.svg")" ;;
esac
fills=$(grep -o '<text [^>]*fill="#[0-9a-f]*"' "$tmp/td.svg" | sed 's/.*fill="//; s/"$//' | sort -u)
[ "$fills" = "#ebebeb" ] || fail "--theme dark: strings not all light: $fills"
fills=$(grep -o '<text [^>]*fill="#[0-9a-f]*"' "$tmp/t0.svg" | sed 's/.*fill="//; s/"$//' | sort -u)
[ "$fills" = "#000000" ] || fail "the default figure's strings are not all black: $fills"
printf 'theme = dark\n' | cat "$tmp/f.scene" - > "$tmp/fd.scene"
"$bin" --scene "$tmp/fd.scene" --steps 30 --figure "$tmp/td2.svg" || fail "a theme = dark scene's figure"
cmp -s "$tmp/td.svg" "$tmp/td2.svg" || fail "a scene's theme = dark differs from --theme dark"
"$bin" --scene "$tmp/f.scene" --steps 30 --theme dark --figure "$tmp/td.pdf" || fail "--theme dark PDF"
pdftoppm -r 30 -singlefile "$tmp/td.pdf" "$tmp/td" || fail "pdftoppm cannot render the dark figure"
corner=$(python3 - "$tmp/td.ppm" <<'PY'
import sys
d = open(sys.argv[1], "rb").read()
parts = d.split(maxsplit=4)   # P6 W H MAX pixels
print(sum(parts[4][:3]) // 3)
PY
)
[ "$corner" -lt 40 ] || fail "--theme dark PDF: the page's corner is not dark ($corner)"

# ---- the PDF against a screenshot of the same run at the same size ----
"$bin" --scene "$tmp/f.scene" --steps 300 --size 700x500 --screenshot "$tmp/s.png" 2>"$tmp/err"
rc=$?
gl_or_skip $rc "$tmp/err"
[ $rc -eq 0 ] || { cat "$tmp/err"; fail "--screenshot exited $rc"; }
ffmpeg -v error -y -i "$tmp/s.png" "$tmp/s.ppm" || fail "ffmpeg cannot convert the screenshot"
pdftoppm -r 100 -singlefile "$tmp/f.pdf" "$tmp/fig" || fail "pdftoppm cannot render the figure"
out=$(python3 "$src/tests/figure_compare.py" "$tmp/fig.ppm" "$tmp/s.ppm") || fail "compare: $out"
echo "figure vs screenshot: $out"
mae=${out#mae=}; mae=${mae%% *}
awk -v m="$mae" 'BEGIN { exit !(m <= 10) }' || fail "the figure's map differs from the screenshot's: $out"
printf 'colormap = magma\n' >> "$tmp/f.scene"
"$bin" --scene "$tmp/f.scene" --steps 300 --figure "$tmp/g.pdf" --figure-size 7x5in || fail "magma figure"
pdftoppm -r 100 -singlefile "$tmp/g.pdf" "$tmp/g"
out=$(python3 "$src/tests/figure_compare.py" "$tmp/g.ppm" "$tmp/s.ppm")
mae=${out#mae=}; mae=${mae%% *}
awk -v m="$mae" 'BEGIN { exit !(m > 30) }' || fail "the measure does not tell another colour map apart: $out"
echo "ok"
