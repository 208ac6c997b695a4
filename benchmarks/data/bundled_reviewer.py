"""Write benchmarks/data/bundled_reviewer.jsonl: my (the engineer's) ORGANISATION and FIGURE spans on the bundled
articles, made by reading each article against the label guidelines; occurrences chosen one by one."""
import json, re
from pathlib import Path
from annotator.core.text import document_id

A = None  # every occurrence
spec = {
 "2001-12-06_china-daily": [
  ("Department of International Organizations and Conferences", "ORGANISATION", A),
  ("Ministry of Foreign Affairs", "ORGANISATION", A),
  ("International Organization for Migration", "ORGANISATION", A),
  ("IOM", "ORGANISATION", A),
  ("Manila Process", "ORGANISATION", A),
  ("China Daily", "ORGANISATION", A),
  ("more than 90 delegates", "FIGURE", A),
  ("17 countries and regions", "FIGURE", A),
  ("US$7 billion", "FIGURE", A),
  ("86 members", "FIGURE", A),
  ("41 observers", "FIGURE", A),
 ],
 "2011-04-05_unodc": [
  ("UNODC", "ORGANISATION", A),
  ("Bali Process", "ORGANISATION", A),
  ("United Nations Office on Drugs and Crime", "ORGANISATION", A),
  ("Coordination and Analysis Unit", "ORGANISATION", A),
  ("CAU", "ORGANISATION", A),
 ],
 "2012-04-04_peoples-daily": [
  ("UN", "ORGANISATION", [0, 1]),            # "Top UN officials", "UN Secretary-General" (not the instruments)
  ("Xinhua", "ORGANISATION", A),
  ("UN General Assembly", "ORGANISATION", A),
  ("UN Office on Drugs and Crime", "ORGANISATION", A),
  ("UNODC", "ORGANISATION", A),
  ("General Assembly", "ORGANISATION", [2, 3]),  # the two "president of the General Assembly"
  ("Group of Friends Against Human Trafficking", "ORGANISATION", A),
  ("United Nations", "ORGANISATION", [0]),    # "adopted by the United Nations in Palermo"
  ("some 2.4 million people", "FIGURE", A),
  ("32 billion U.S. dollars", "FIGURE", A),
  ("two thirds of trafficking victims", "FIGURE", A),
  ("thousands of people", "FIGURE", A),
  ("around 1 million U.S. dollars", "FIGURE", A),
  ("around 470,000 dollars", "FIGURE", A),
 ],
 "2024-04-27_dawn": [
  ("Federal Investigation Agency", "ORGANISATION", A),
  ("Ministry of Foreign Affairs", "ORGANISATION", A),
  ("United Nations Office on Drugs and Crime", "ORGANISATION", A),
  ("European Union", "ORGANISATION", A),
  ("EU", "ORGANISATION", [0]),               # "(EU)"
  ("EU Delegation to Pakistan", "ORGANISATION", A),
  ("UNODC", "ORGANISATION", A),
  ("Global Alliance to Counter Migrant Smuggling", "ORGANISATION", A),
  ("Dawn", "ORGANISATION", A),
  ("350 Pakistani nationals", "FIGURE", A),
 ],
 "2024-07-17_bta": [
  ("Consular Department", "ORGANISATION", A),
  ("Ministry of Foreign Affairs", "ORGANISATION", A),
  ("New Zealand Immigration Management Agency", "ORGANISATION", A),
  ("Disruption Working Group", "ORGANISATION", A),
  ("Working Group on dismantling illegal migrant smuggling and human trafficking networks", "ORGANISATION", A),
  ("Working Group", "ORGANISATION", "standalone"),
  ("Bali Process", "ORGANISATION", A),
  ("International Organization for Migration", "ORGANISATION", A),
  ("IOM", "ORGANISATION", [0]),               # "(IOM)"
  ("IOM Delegation in Vietnam", "ORGANISATION", A),
  ("Irish National Police", "ORGANISATION", A),
  ("Immigration Management Department", "ORGANISATION", A),
  ("Ministry of Public Security", "ORGANISATION", A),
  ("BTA", "ORGANISATION", A),
  ("nearly 60 delegates", "FIGURE", A),
 ],
}
out = []
for path in sorted(Path("documents").glob("*.txt")):
    text = path.read_text(encoding="utf-8")
    key = next(k for k in spec if path.name.startswith(k))
    spans = []
    for surface, label, which in spec[key]:
        found = [m.start() for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text)]
        if which == "standalone":  # not the start of a longer tagged name
            longer = [(m.start(), m.end()) for o, _, _ in spec[key] if o != surface and surface in o
                      for m in re.finditer(re.escape(o), text)]
            found = [s for s in found if not any(a <= s and s + len(surface) <= b for a, b in longer)]
        elif which is not None:
            found = [found[i] for i in which]
        assert found, (key, surface)
        for s in found:
            spans.append({"start": s, "end": s + len(surface), "label": label, "text": surface})
    spans.sort(key=lambda s: (s["start"], -s["end"], s["label"]))
    title = text.split("\n", 1)[0].strip() if not key.startswith("2011") else "Ministers welcome UNODC assistance"
    out.append({"id": document_id(text), "text": text, "meta": {"title": title, "file": path.name}, "spans": spans})
    print(key, len(spans), sum(s["label"] == "FIGURE" for s in spans))
with open("benchmarks/data/bundled_reviewer.jsonl", "w", encoding="utf-8") as f:
    for rec in out:
        f.write(json.dumps(rec, ensure_ascii=False) + "\n")
