"""Two small compiled modules for the token formats: the tokenizer's scanner (annotator/core/_tokens.c) and the
spaCy JSONL token writer (annotator/formats/_spacy_tokens.c).

Both are optional: where no C compiler is found the install still succeeds, and tokenize.py and spacy_jsonl.py
fall back to the Python they were checked against, which gives the same output, more slowly (CoNLL and spaCy
JSONL exports several times slower).
"""
from setuptools import Extension, setup

setup(ext_modules=[
    Extension("annotator.core._tokens", ["annotator/core/_tokens.c"], optional=True),
    Extension("annotator.formats._spacy_tokens", ["annotator/formats/_spacy_tokens.c"], optional=True),
])
