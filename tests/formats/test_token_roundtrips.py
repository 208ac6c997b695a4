"""Token formats as the tools that read them see them (issue 11, items 2 and 3): spaCy JSONL tokens rebuild the
text through spaCy's own ``Doc(words, spaces)`` and ``token_start``/``token_end`` point at the span's tokens; a
CoNLL, spaCy JSONL or ``.spacy`` file imported and exported again keeps the source's tokens and document order, so
seqeval scores the CoNLL round trip at F1 = 1.0 against its source."""
import json

import pytest
import spacy
from hypothesis import given, settings
from hypothesis import strategies as st
from seqeval.metrics import f1_score
from spacy.tokens import Doc, DocBin
from spacy.util import get_words_and_spaces

from annotator.core.doc_tokens import spacy_whitespace
from annotator.core.tokenize import WS_AFTER, token_arrays
from annotator.store import Store
from tests.cli.conftest import Cli
from tests.conftest import DOCUMENTS

nlp = spacy.blank("en")


@pytest.fixture
def cli(tmp_path):
    return Cli(tmp_path / "t.db")


def test_spacy_jsonl_tokens_rebuild_every_bundled_article_and_index_the_spans(cli, tmp_path):
    cli("import", DOCUMENTS)
    store = Store(cli.db)
    tagged = 0
    for row in store.list_documents(limit=10):
        text = store.document_text(row.id)
        # a word on every line, so spans come after line breaks (where the old token list went wrong)
        for line_start in [0] + [i + 1 for i, c in enumerate(text) if c == "\n"][::3]:
            word = text[line_start:].split(None, 1)[0] if text[line_start:].strip() else ""
            at = text.find(word, line_start)
            if word.isalpha() and text[at:at + len(word)] == word:
                store.add_span(row.id, at, at + len(word), "ORGANISATION", "alice")
                tagged += 1
    store.close()
    out = tmp_path / "out.jsonl"
    cli("export", "--format", "spacy-jsonl", "-o", out)
    checked = 0
    for line in out.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        tokens = record["tokens"]
        assert "".join(t["text"] + " " * t["ws"] for t in tokens) == record["text"]
        assert [t["id"] for t in tokens] == list(range(len(tokens)))
        doc = Doc(nlp.vocab, words=[t["text"] for t in tokens], spaces=[t["ws"] for t in tokens])
        assert doc.text == record["text"]
        # the whitespace tokens are where spaCy's tokenizer puts them
        assert [t.text for t in doc if t.is_space] == [t.text for t in nlp(record["text"]) if t.is_space]
        for s in record["spans"]:
            covered = doc[s["token_start"]:s["token_end"] + 1]
            assert (covered.start_char, covered.end_char, covered.text) == (s["start"], s["end"], s["text"])
            checked += 1
    assert checked == tagged > 20


CONLL = """\
-DOCSTART- -X- -X- O

ZIFA NNP B-NP B-ORG
's POS B-NP O
AL-AIN NNP I-NP B-LOC
Corp. NNP I-NP B-ORG
does VBZ B-VP O
n't RB I-VP O
say VB I-VP O
1945-1990 CD B-NP O
. . O O

Second NNP B-NP O
sentence NN I-NP O

-DOCSTART- -X- -X- O

ASEAN NNP B-NP B-ORG
meets VBZ B-VP O
in IN B-PP O
Jakarta NNP B-NP B-LOC
. . O O

-DOCSTART- -X- -X- O

European NNP B-NP B-ORG
Union NNP I-NP I-ORG
rejects VBZ B-VP O
German JJ B-NP B-MISC
call NN I-NP O
"""


def sentences(conll_text):
    """Tokens and tags per sentence, as seqeval's users read a CoNLL file."""
    out, current = [], []
    for line in conll_text.splitlines():
        cols = line.split()
        if not cols or cols[0] == "-DOCSTART-":
            if current:
                out.append(current)
            current = []
            continue
        current.append((cols[0], cols[-1]))
    if current:
        out.append(current)
    return out


def test_conll_round_trip_keeps_tokens_tags_and_order_and_seqeval_scores_it_1(cli, tmp_path):
    source = tmp_path / "train.conll"
    source.write_text(CONLL, encoding="utf-8")
    cli("import", source)
    out = tmp_path / "again.conll"
    cli("export", "--format", "conll", "-o", out)
    written = out.read_text(encoding="utf-8")
    assert sentences(written) == sentences(CONLL)
    # line for line: the same lines in the same places, with "_" for the POS and chunk columns we do not keep
    # and -DOCSTART- lines as spaCy's converter splits documents at them
    expected = [l if not l else "-DOCSTART- -X- O O" if l.startswith("-DOCSTART-") else
                f"{l.split()[0]} _ _ {l.split()[-1]}" for l in CONLL.splitlines()]
    assert written.splitlines()[:len(expected)] == expected
    truth = [[tag for _, tag in s] for s in sentences(CONLL)]
    predicted = [[tag for _, tag in s] for s in sentences(written)]
    assert f1_score(truth, predicted) == 1.0


def test_chinese_conll_a_character_a_line_keeps_its_text_unspaced(cli, tmp_path):
    chars = "美国《时代》周刊报道，IOM在2008年"
    tags = ["B-LOC", "I-LOC", "O", "B-ORG", "I-ORG", "O", "O", "O", "O", "O", "O", "B-ORG", "I-ORG", "I-ORG", "O",
            "O", "O", "O", "O", "O"]
    source = tmp_path / "weibo.bmes.conll"
    source.write_text("".join(f"{c} {t}\n" for c, t in zip(chars, tags)), encoding="utf-8")
    cli("import", source)
    store = Store(cli.db)
    (row,) = store.list_documents(limit=5)
    assert store.document_text(row.id) == chars
    assert [(s.text, s.label) for s in store.spans(row.id)] == [("美国", "LOC"), ("时代", "ORG"), ("IOM", "ORG")]
    store.close()
    out = tmp_path / "again.conll"
    cli("export", "--format", "conll", "-o", out)
    assert [(c, t) for s in sentences(out.read_text(encoding="utf-8")) for c, t in s] == list(zip(chars, tags))


def test_mixed_conll_leaves_no_space_at_full_width_punctuation(cli, tmp_path):
    source = tmp_path / "zh.conll"
    source.write_text("美国 B-LOC\n《 O\n时代 B-ORG\n》 O\n周刊 O\nUN B-ORG\nsays O\n", encoding="utf-8")
    cli("import", source)
    store = Store(cli.db)
    (row,) = store.list_documents(limit=5)
    assert store.document_text(row.id) == "美国《时代》周刊 UN says"
    store.close()


def test_spacy_jsonl_round_trip_keeps_the_source_tokens(cli, tmp_path):
    text = "AL-AIN, UAE (Reuters) - U.S. officials don't know.\n\nSecond  line"
    doc = nlp(text)
    record = {"text": text, "tokens": [{"text": t.text, "start": t.idx, "end": t.idx + len(t), "id": t.i,
                                        "ws": bool(t.whitespace_)} for t in doc],
              "spans": [{"start": 0, "end": 6, "label": "LOC", "token_start": 0, "token_end": 0}],
              "answer": "accept"}
    source = tmp_path / "prodigy.jsonl"
    source.write_text(json.dumps(record) + "\n", encoding="utf-8")
    cli("import", source)
    out = tmp_path / "again.jsonl"
    cli("export", "--format", "spacy-jsonl", "-o", out)
    again = json.loads(out.read_text(encoding="utf-8"))
    assert [(t["text"], t["ws"]) for t in again["tokens"]] == [(t.text, bool(t.whitespace_)) for t in doc]
    al_ain = doc.char_span(0, 6)  # spaCy's tokens: AL - AIN
    assert [(s["token_start"], s["token_end"], s["text"]) for s in again["spans"]] == [
        (al_ain.start, al_ain.end - 1, "AL-AIN")]
    assert al_ain.end - al_ain.start == 3


def test_docbin_round_trip_keeps_tokens_and_document_order(cli, tmp_path):
    texts = ["Zeta Corp. said 1945-1990 wasn't key.", "Alpha meets AL-AIN officials.", "Middle text here."]
    words = [["Zeta", "Corp.", "said", "1945-1990", "was", "n't", "key", "."],
             ["Alpha", "meets", "AL-AIN", "officials", "."], ["Middle", "text", "here", "."]]
    spaces = [[True, True, True, True, False, True, False, False], [True, True, True, False, False],
              [True, True, False, False]]
    source = DocBin()
    for text, w, sp in zip(texts, words, spaces):
        doc = Doc(nlp.vocab, words=w, spaces=sp)
        assert doc.text == text
        doc.ents = [doc.char_span(0, 4 if text.startswith("Zeta") else len(w[0]), label="ORG")]
        source.add(doc)
    path = tmp_path / "train.spacy"
    source.to_disk(path)
    cli("import", path)
    out = tmp_path / "again.spacy"
    cli("export", "--format", "spacy", "-o", out)
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert [d.text for d in docs] == texts
    assert [[t.text for t in d] for d in docs] == words
    assert [[e.text for e in d.ents] for d in docs] == [["Zeta"], ["Alpha"], ["Middle"]]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["UNODC", "IOM", "😀", "中文", "U.S.", ",", "e\u0301"]),
                          st.sampled_from(["", " ", "  ", "\n", "\n\n", " \n ", "\t", " \t"])), min_size=1, max_size=12),
       st.sampled_from(["", " ", "\n", "  "]))
def test_spacy_whitespace_tokens_are_spacys_on_generated_texts(parts, lead):
    text = lead + "".join(w + s for w, s in parts)
    starts, ends, flags = spacy_whitespace(text, token_arrays(text, with_texts=False))
    words = [text[a:b] for a, b in zip(starts, ends)]
    spaces = [bool(f & WS_AFTER) for f in flags]
    assert "".join(w + " " * s for w, s in zip(words, spaces)) == text
    # spaCy's own alignment of our words to the text makes the same whitespace tokens
    assert (words, spaces) == tuple(map(list, get_words_and_spaces([w for w in words if not w.isspace()], text)))


def test_what_prodigy_and_spacy_files_hold_beyond_spans_is_counted_and_refused_under_strict(cli, tmp_path):
    prodigy = tmp_path / "rel.jsonl"
    prodigy.write_text("\n".join(json.dumps(r) for r in [
        {"text": "UNODC helps IOM.", "spans": [{"start": 0, "end": 5, "label": "ORG", "token_start": 0, "token_end": 0},
                                              {"start": 12, "end": 15, "label": "ORG", "token_start": 2,
                                               "token_end": 2}],
         "relations": [{"head": 0, "child": 2, "label": "HELPS"}], "answer": "accept"},
        {"text": "Paris is nice.", "spans": [{"start": 0, "end": 5, "label": "GPE"}], "accept": ["Q90"],
         "answer": "accept"},
        {"text": "   ", "answer": "accept"}]) + "\n")
    docs = DocBin()
    doc = nlp("Ministers met in Vienna. They agreed.")
    doc[0].tag_ = "NNS"
    doc[0].is_sent_start = True
    doc[5].is_sent_start = True
    doc.ents = [doc.char_span(17, 23, label="GPE")]
    docs.add(doc)
    spacy_file = tmp_path / "tagged.spacy"
    docs.to_disk(spacy_file)
    refused = cli("import", "--strict", prodigy, spacy_file, ok=False)
    assert "Prodigy accepted choice" in refused.output and "Nothing imported" in refused.output
    assert "relations" not in refused.output  # they come in (tests/formats/test_peer_relations.py)
    result = cli("import", "--annotator", "me", prodigy, spacy_file)
    assert "3 document(s) imported, 4 span(s)" in result.stdout
    assert "lost: 1 Prodigy accepted choice or entity-link ids in rel.jsonl (not imported)" in result.stdout
    assert "1 record(s) with an empty or whitespace-only text" in result.stdout
    assert "lost: 1 spaCy fine-grained tags in tagged.spacy (documents; not imported)" in result.stdout
    assert "lost: 1 spaCy sentence starts in tagged.spacy (documents; not imported)" in result.stdout


def test_spacy_convert_reads_our_conll_without_made_up_tags(cli, tmp_path):
    """spaCy's CoNLL converter (what `spacy convert` runs) took our old "-X-" column for every token's POS tag."""
    from spacy.training.converters import conll_ner_to_docs

    source = tmp_path / "train.conll"
    source.write_text(CONLL, encoding="utf-8")
    cli("import", source)
    out = tmp_path / "again.conll"
    cli("export", "--format", "conll", "-o", out)
    docs = list(conll_ner_to_docs(out.read_text(encoding="utf-8"), n_sents=10, no_print=True))
    assert len(docs) == 3  # one per -DOCSTART-
    tokens = [t for d in docs for t in d]
    assert [t.text for t in tokens] == [w for s in sentences(CONLL) for w, _ in s]
    assert {t.tag_ for t in tokens} <= {"_", ""} and "-X-" not in {t.tag_ for t in tokens}
    assert [(e.text, e.label_) for d in docs for e in d.ents][:3] == [("ZIFA", "ORG"), ("AL-AIN", "LOC"),
                                                                     ("Corp.", "ORG")]
