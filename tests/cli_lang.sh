# --lang zh|en: captions and the window's own words (GNU gettext catalogue from
# po/zh_CN.po, compiled at build time); the default follows the locale.
source "$(dirname "$0")/lib/cli.sh"

zh=$("$LOSSCAPE" --lang zh --keys)
check_true "--lang zh: the key help in Chinese" grep -qF "暂停 / 继续" <<<"$zh"
check_true "--lang zh: keys stay as they are" grep -q "^Space " <<<"$zh"
"$LOSSCAPE" --lang en --keys >"$TMP/en"
check_true "--lang en: the key help in English" grep -qF "pause / resume" "$TMP/en"
check_true "--lang en: no Chinese" bash -c "! grep -qF '暂停' '$TMP/en'"
check_true "the locale chooses: LANG=zh_CN.UTF-8" bash -c "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 '$LOSSCAPE' --keys | grep -qF '暂停 / 继续'"
check_true "the locale chooses: LANG=de_DE.UTF-8 is English" bash -c "LC_ALL= LC_MESSAGES= LANG=de_DE.UTF-8 '$LOSSCAPE' --keys | grep -qF 'pause / resume'"
check_true "--lang en wins over a Chinese locale" bash -c "LANG=zh_CN.UTF-8 '$LOSSCAPE' --lang en --keys | grep -qF 'pause / resume'"
check_error 2 "--lang: expected zh or en, not 'fr'" --lang fr --keys
# --help in the chosen language: the headings and every option's description from the
# catalogue, the options themselves as they are (tests/cli_docs.sh reads the English).
"$LOSSCAPE" --lang zh --help >"$TMP/help-zh"
"$LOSSCAPE" --lang en --help >"$TMP/help-en"
check_true "--lang zh --help: the usage line in Chinese" grep -qF "用法：losscape [选项]" "$TMP/help-zh"
check_true "--lang zh --help: the exit status in Chinese" grep -qF "退出状态：0 成功" "$TMP/help-zh"
check_true "--lang zh --help: an option's description in Chinese" grep -qF "每个运行的起点" "$TMP/help-zh"
check_true "--lang zh --help: the same options as in English" \
  cmp -s <(grep -oE '^  --[a-z-]+' "$TMP/help-zh") <(grep -oE '^  --[a-z-]+' "$TMP/help-en")
nopt=$(grep -cE '^  --[a-z-]+' "$TMP/help-en") nzh=$(env LC_ALL=C.UTF-8 grep -cP '[\x{4e00}-\x{9fff}]' "$TMP/help-zh")
check_true "--lang zh --help: Chinese on at least one line per option ($nzh lines, $nopt options)" test "$nzh" -ge "$nopt"
check_true "--help in the C locale is English" bash -c "LC_ALL=C LANG=C '$LOSSCAPE' --help | grep -qF 'usage: losscape [options]'"
check_true "the locale chooses --help's language: LANG=zh_CN.UTF-8" \
  bash -c "LC_ALL= LC_MESSAGES= LANG=zh_CN.UTF-8 '$LOSSCAPE' --help | grep -qF '用法：'"
# Every translatable string in the sources (xgettext over src/: _() and N_()) has a
# Chinese entry in po/zh_CN.po, and none is empty.
if command -v xgettext >/dev/null && command -v msgcmp >/dev/null; then
  (cd "$SRC" && xgettext --from-code=UTF-8 -k_ -kN_ -o "$TMP/losscape.pot" $(find src -name '*.c' -o -name '*.h' | sort))
  check_true "xgettext finds the window's words (>= 120 strings)" \
    test "$(grep -c '^msgid ' "$TMP/losscape.pot")" -ge 120
  msgcmp "$SRC/po/zh_CN.po" "$TMP/losscape.pot" >"$TMP/msgcmp" 2>&1
  check_true "every string xgettext finds in src/ has a zh_CN entry" \
    bash -c "! grep 'used but not defined' '$TMP/msgcmp'"
  msgmerge -q --no-fuzzy-matching "$SRC/po/zh_CN.po" "$TMP/losscape.pot" -o "$TMP/merged.po"
  check_true "no zh_CN entry is empty" test "$(msgattrib --untranslated "$TMP/merged.po" | grep -c '^msgid ')" -le 1
else
  fail "xgettext/msgcmp missing (package gettext, scripts/setup.sh)"
fi
# The window's own words in Chinese on the screen: the same scene and caption (a scene
# without caption_zh) with --lang zh and --lang en differ only by the HUD, data panel
# and plot words (render_text checks CJK glyphs are drawn, not boxes).
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --scene minibatch-noise --steps 20 --size 640x360 --lang zh \
  --caption same --screenshot "$TMP/zh.png" 2>/dev/null
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --scene minibatch-noise --steps 20 --size 640x360 --lang en \
  --caption same --screenshot "$TMP/en.png" 2>/dev/null
check_true "--lang zh: a screenshot" test -s "$TMP/zh.png"
check_true "--lang zh draws another HUD than --lang en" bash -c "! cmp -s '$TMP/zh.png' '$TMP/en.png'"
# The narrated step's caption (E) in the chosen language: the text box E adds to a
# paused frame (Space) has another width in Chinese than in English.
narr_w() {   # narr_w LANG: the width of the widest text box E adds
  for k in Space E; do
    LOSSCAPE_REPLAY_KEYS=$k LOSSCAPE_TEXT_BOXES="$TMP/b-$k.txt" SDL_VIDEODRIVER=offscreen "$LOSSCAPE" \
      --scene booth --view 2d --steps 5 --size 640x360 --lang "$1" --screenshot "$TMP/n.png" 2>/dev/null
  done
  awk 'NR == FNR { seen[$0] = 1; next } !seen[$0] && $1 == "text" && $5 > w { w = $5 } END { print w + 0 }' \
    "$TMP/b-Space.txt" "$TMP/b-E.txt"
}
nzh=$(narr_w zh) nen=$(narr_w en)
check_true "E's narration caption is drawn (zh $nzh px, en $nen px wide)" test "$nzh" -gt 100 -a "$nen" -gt 100
check_true "--lang zh: the narration caption in Chinese (zh $nzh px, en $nen px)" test "$nzh" != "$nen"
# every lesson has a Chinese caption and title
for f in "$SRC"/assets/scenes/lesson-*.scene; do
  check_true "$(basename "$f"): caption_zh" env LC_ALL=C.UTF-8 grep -qP '^caption_zh = .*[\x{4e00}-\x{9fff}]' "$f"
  check_true "$(basename "$f"): title_zh" env LC_ALL=C.UTF-8 grep -qP '^title_zh = .*[\x{4e00}-\x{9fff}]' "$f"
done
# --lang zh shows title_zh: the lesson differs from the same lesson given its English
# title with --title (which wins over both), and --lang en shows the English title
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --lesson lesson-warmup --steps 0 --size 640x360 --lang zh \
  --screenshot "$TMP/tzh.png" 2>/dev/null
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --lesson lesson-warmup --steps 0 --size 640x360 --lang zh \
  --title "Lesson 7: warm-up" --screenshot "$TMP/ten.png" 2>/dev/null
check_true "--lang zh: a lesson's title in Chinese (title_zh)" bash -c "test -s '$TMP/tzh.png' && ! cmp -s '$TMP/tzh.png' '$TMP/ten.png'"
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --lesson lesson-warmup --steps 0 --size 640x360 --lang en \
  --screenshot "$TMP/en1.png" 2>/dev/null
SDL_VIDEODRIVER=offscreen "$LOSSCAPE" --lesson lesson-warmup --steps 0 --size 640x360 --lang en \
  --title "Lesson 7: warm-up" --screenshot "$TMP/en2.png" 2>/dev/null
check_true "--lang en: the English title" cmp -s "$TMP/en1.png" "$TMP/en2.png"
# --lesson: only lessons
check_error 2 "--lesson: 'ravine' is not a lesson" --lesson ravine --headless --steps 1
check_ok --lesson lesson-warmup --headless --steps 2
check_ok --lesson --headless --steps 2
finish
