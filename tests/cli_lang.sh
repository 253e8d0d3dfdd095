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
# every lesson has a Chinese caption
for f in "$SRC"/assets/scenes/lesson-*.scene; do
  check_true "$(basename "$f"): caption_zh" env LC_ALL=C.UTF-8 grep -qP '^caption_zh = .*[\x{4e00}-\x{9fff}]' "$f"
done
# --lesson: only lessons
check_error 2 "--lesson: 'ravine' is not a lesson" --lesson ravine --headless --steps 1
check_ok --lesson lesson-warmup --headless --steps 2
check_ok --lesson --headless --steps 2
finish
