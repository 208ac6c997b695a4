"""The packages, the resources a wheel must carry, and eight small compiled modules.

``resources/`` stays at the top of the checkout (what the app loads that is not code: the default scheme, the
keys table, the icon, the launcher) and is installed as the package ``annotator.resources``, so an installed app
reads it through importlib.resources (annotator/core/resources.py) and never from the working folder.

The compiled modules are, for exports, the tokenizer's scanner (annotator/core/_tokens.c), the spaCy JSONL token
writer (annotator/formats/_spacy_tokens.c) and a file writer that runs without the GIL
(annotator/formats/_write_files.c); for imports and exports of relations, the per-relation loops of canonical JSONL
and of the store's bulk paths (annotator/core/_relations.c) and the canonical export's reader of relations and
attribute values, on the SQLite that Python's sqlite3 module uses, found at run time (annotator/store/_export_links.c);
for imports, json's hook that refuses a key twice in one object (annotator/formats/_json_objects.c), the loop that
makes a record's spans (annotator/formats/_span_records.c) and the walk over a Label Studio task's regions
(annotator/formats/_labelstudio_regions.c).
All are optional: where no C compiler is found the install still succeeds, and the Python they were checked
against is used instead, with the same output, more slowly (CoNLL and spaCy JSONL exports several times slower,
reading JSON formats up to twice as slow).
"""
from setuptools import Extension, find_packages, setup

setup(
    # icons/ is a folder of data, listed as a package because setuptools treats every folder under one as such
    packages=find_packages(include=["annotator", "annotator.*"]) + ["annotator.resources", "annotator.resources.icons"],
    package_dir={"annotator.resources": "resources"},
    package_data={"annotator.resources": ["*.json", "*.desktop"], "annotator.resources.icons": ["*.svg", "*.png"]},
    ext_modules=[
        Extension("annotator.core._tokens", ["annotator/core/_tokens.c"], optional=True),
        Extension("annotator.core._relations", ["annotator/core/_relations.c"], depends=["annotator/_json_escape.h"],
                  optional=True),
        Extension("annotator.store._export_links", ["annotator/store/_export_links.c", "annotator/store/_sqlite_api.c",
                                                   "annotator/store/_export_documents.c"],
                  depends=["annotator/store/_export_links.h", "annotator/_json_escape.h"], optional=True),
        Extension("annotator.formats._spacy_tokens", ["annotator/formats/_spacy_tokens.c"], optional=True),
        Extension("annotator.formats._write_files", ["annotator/formats/_write_files.c"], optional=True),
        Extension("annotator.formats._json_objects", ["annotator/formats/_json_objects.c"], optional=True),
        Extension("annotator.formats._span_records", ["annotator/formats/_span_records.c"], optional=True),
        Extension("annotator.formats._labelstudio_regions", ["annotator/formats/_labelstudio_regions.c"],
                  optional=True),
    ],
)
