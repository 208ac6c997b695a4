"""Five small compiled modules: for exports, the tokenizer's scanner (annotator/core/_tokens.c), the spaCy JSONL
token writer (annotator/formats/_spacy_tokens.c) and a file writer that runs without the GIL
(annotator/formats/_write_files.c); for imports, json's hook that refuses a key twice in one object
(annotator/formats/_json_objects.c) and the loop that makes a record's spans (annotator/formats/_span_records.c).

All are optional: where no C compiler is found the install still succeeds, and the Python they were checked
against is used instead, with the same output, more slowly (CoNLL and spaCy JSONL exports several times slower,
reading JSON formats up to twice as slow).
"""
from setuptools import Extension, setup

setup(ext_modules=[
    Extension("annotator.core._tokens", ["annotator/core/_tokens.c"], optional=True),
    Extension("annotator.formats._spacy_tokens", ["annotator/formats/_spacy_tokens.c"], optional=True),
    Extension("annotator.formats._write_files", ["annotator/formats/_write_files.c"], optional=True),
    Extension("annotator.formats._json_objects", ["annotator/formats/_json_objects.c"], optional=True),
    Extension("annotator.formats._span_records", ["annotator/formats/_span_records.c"], optional=True),
])
