"""Where Label Studio's own page draws the spans of our export, in headless Chromium (issue 11, item 1).

Run by scripts/peer_tools_check.py when it is given ``--page-python`` (a Python with ``playwright`` installed and a
Chromium at ``--chromium``), with a running Label Studio, its login, and the tasks to look at:

    PYTHON labelstudio_page_check.py URL EMAIL PASSWORD CHROMIUM PROJECT:TASK ...

For each task it opens the labeling page and prints one JSON line: the texts of the regions the page highlights.
A task given as ``PROJECT:TASK:WORD:LABEL`` gets a region made as a reviewer makes it first: the label clicked,
the word double-clicked, Update pressed (the offsets the page stores are then read through the API).
"""
import json
import sys

from playwright.sync_api import sync_playwright

HIGHLIGHTS = """() => Array.from(document.querySelectorAll('.htx-highlight'))
  .map(e => e.textContent)"""


WHERE = """(word) => {
  const walker = document.createTreeWalker(document.querySelector('.lsf-richtext__container'), NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const at = node.data.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + word.length);
      const r = range.getBoundingClientRect();
      return [r.left, r.top, r.right, r.bottom];
    }
  }
  return null;
}"""


def main() -> None:
    url, email, password, chromium, *tasks = sys.argv[1:]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto(f"{url}/user/login/")
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for item in tasks:
            project, task, *make = item.split(":")
            page.goto(f"{url}/projects/{project}/data?task={task}")
            if make:
                word, label = make
                page.wait_for_selector(".htx-highlight", timeout=60000)
                page.click(f".lsf-label:has-text('{label}')")
                box = page.evaluate(WHERE, word)
                with page.expect_response(lambda r: "/api/annotations" in r.url
                                          and r.request.method in ("PATCH", "POST"), timeout=30000):
                    page.mouse.dblclick((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
                    page.wait_for_timeout(500)
                    page.click("button:has-text('Update')")
            texts = []
            for _ in range(60):  # the editor loads its bundle, then the task, then draws the regions
                page.wait_for_timeout(1000)
                texts = [t for frame in page.frames for t in frame.evaluate(HIGHLIGHTS)]
                if texts:
                    break
            print(json.dumps({"task": item, "highlighted": texts}, ensure_ascii=False), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
