#!/usr/bin/env python3
"""Writes pretokenizer_splits.txt: how llama.cpp's pre-tokenizer regexes split each test string.

Ground truth from the third-party `regex` module (Unicode classes \\p{L}, \\p{N}, ...), applied the way
llama.cpp applies a list of regexes: each pass splits every piece of the previous pass into its matches
and the unmatched runs between them. Run from this folder: python3 make_pretokenizer_splits.py
Output lines: <variant> TAB <input as hex> TAB <pieces as hex, space-separated>.
"""
import glob
import regex

GPT2 = r"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)"
LLAMA3 = (r"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}"
          r"| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
VARIANTS = {
    "gpt-2": [GPT2],
    "llama-bpe": [LLAMA3],
    "qwen2": [LLAMA3.replace(r"\p{N}{1,3}", r"\p{N}")],
    "starcoder": [r"\p{N}", GPT2],
    "default": [r"[\p{P}\$\+<=>\^~\|]+", GPT2, r"\p{N}+", r"[0-9][0-9][0-9]"],
    "falcon": [r"[\p{P}\$\+<=>\^~\|`]+", GPT2, r"[0-9][0-9][0-9]"],
    "deepseek-coder": [r"[\r\n]", r"\s?\p{L}+", r"\s?\p{P}+", r"[一-龥ࠀ-一가-퟿]+", r"\p{N}"],
}
EXTRA = ["  Hello\n\n\n  world\t\tx", "I'M YOU'LL 'S 'x", "a\r\n\r\nb \n c", "1234567 x12y 3.14159", "\t\tHi",
         "foo   \n", "$$$ <=> ^_^ `a`|~", "¡Hola! ¿Qué? «ok» — “quote”", "x\u00a0y\u2003z\u3000w"]


def split(text, passes):
    pieces = [text]
    for pattern in passes:
        compiled = regex.compile(pattern)
        nxt = []
        for piece in pieces:
            pos = 0
            for m in compiled.finditer(piece):
                if m.start() > pos:
                    nxt.append(piece[pos:m.start()])
                nxt.append(m.group())
                pos = m.end()
            if pos < len(piece):
                nxt.append(piece[pos:])
        pieces = nxt
    return [p for p in pieces if p]


def main():
    inputs = []
    for path in sorted(glob.glob("*.inp")):
        data = open(path, encoding="utf-8").read()
        for s in data.split("\n__ggml_vocab_test__\n")[:-1]:
            if s not in inputs:
                inputs.append(s)
    inputs += EXTRA
    with open("pretokenizer_splits.txt", "w") as out:
        for variant, passes in VARIANTS.items():
            for s in inputs:
                hexes = " ".join(p.encode().hex() for p in split(s, passes))
                out.write(f"{variant}\t{s.encode().hex()}\t{hexes}\n")


main()
