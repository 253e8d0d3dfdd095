#!/usr/bin/env python3
"""cjk_subset.py OUT FONT SOURCE... — the browser build's Chinese font: FONT (a CJK
TrueType collection, face 0) cut down to the CJK characters and full-width
punctuation that occur in the SOURCE files (the built-in scenes' caption_zh, the
program's strings), so the page carries a few hundred glyphs instead of megabytes.
The desktop finds a whole CJK font through fontconfig instead (render/text.c)."""
import sys
from fontTools import subset

out, font, sources = sys.argv[1], sys.argv[2], sys.argv[3:]
chars = set()
for path in sources:
    with open(path, encoding="utf-8", errors="replace") as f:
        for ch in f.read():
            if ord(ch) >= 0x2E80 and ch != "\ufffd":   # CJK radicals onwards: not in DejaVu
                chars.add(ch)
opts = subset.Options()
opts.font_number = 0
opts.layout_features = []
opts.name_IDs = ["*"]
opts.notdef_outline = True
opts.hinting = False
f = subset.load_font(font, opts)
s = subset.Subsetter(opts)
s.populate(text="".join(sorted(chars)))
s.subset(f)
subset.save_font(f, out, opts)
print(f"cjk_subset: {len(chars)} characters from {len(sources)} files -> {out}")
