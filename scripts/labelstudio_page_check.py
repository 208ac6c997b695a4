"""Where Label Studio's own page draws the spans of our export, in headless Chromium (issue 11, item 1).

Run by scripts/peer_tools_check.py when it is given ``--page-python`` (a Python with ``playwright`` installed and a
Chromium at ``--chromium``), with a running Label Studio, its login, and the tasks to look at:

    PYTHON labelstudio_page_check.py URL EMAIL PASSWORD CHROMIUM PROJECT:TASK ...

For each task it opens the labeling page and prints one JSON line: the texts of the regions the page highlights.
"""
import json
import sys

from playwright.sync_api import sync_playwright

HIGHLIGHTS = """() => Array.from(document.querySelectorAll('.htx-highlight'))
  .map(e => e.textContent)"""


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
            project, task = item.split(":")
            page.goto(f"{url}/projects/{project}/data?task={task}")
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
