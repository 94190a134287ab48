"""`--steps report` on Dask: the report the app would build from the run's folder, with the local engine's sections
and findings when every post fits in the app (tests/test_dask.py's 2-process LocalCluster and inputs)."""
import json
import re

from tests.test_dask import inputs, run, scheduler  # noqa: F401  (fixtures)


def findings(html: str) -> list[str]:
    """The executive summary's key findings, as the reader sees them."""
    block = html.split("Key findings", 1)[1].split("</ul>", 1)[0]
    return [re.sub(r"<[^>]+>", "", li).strip() for li in re.findall(r"<li>(.*?)</li>", block, flags=re.S)]


def test_the_report_on_dask_is_the_local_engines(inputs, scheduler, tmp_path):  # noqa: F811
    local, dask = tmp_path / "local", tmp_path / "dask"
    done = run("analyze", *inputs, "--out", local, "--steps", "sentiment,report", "--no-cache", "--leave-out-spam")
    assert done.returncode == 0, done.stderr
    done = run("analyze", *inputs, "--out", dask, "--steps", "sentiment,report", "--engine", "dask",
               "--scheduler", scheduler, "--leave-out-spam")
    assert done.returncode == 0, done.stderr
    ours, theirs = (json.loads((d / "summary.json").read_text())["report"] for d in (dask, local))
    assert ours["sections"] == theirs["sections"] and ours["left_out"] == theirs["left_out"]
    assert ours["posts"] == ours["sample_posts"] == 667  # every post fits in the app: no sample, no scope note
    html = (dask / "report.html").read_text(encoding="utf-8")
    assert findings(html) == findings((local / "report.html").read_text(encoding="utf-8")) and findings(html)
    assert "sample of" not in html

    def shares(page: str) -> str:  # the headline's sentiment shares to quote, over the posts kept
        return page.split("Sentiment shares to quote", 1)[1].split("</table>", 1)[0]

    assert shares(html) == shares((local / "report.html").read_text(encoding="utf-8")) and "All posts" in shares(html)
    left_out = [f for f in findings(html) if "that look like spam or bot activity" in f]  # --leave-out-spam
    assert len(left_out) == 1 and "are left out of every figure here" in left_out[0]
    from lib.ingest.build import dataset_name

    title = f"Social listening report: {dataset_name([str(p) for p in inputs])}"  # not just the first file's name
    assert len(inputs) > 1 and title.endswith(f" + {len(inputs) - 1} more")
    assert title in html and title in (local / "report.html").read_text(encoding="utf-8")
    assert (dask / "report.pdf").read_bytes()[:5] == b"%PDF-" and (dask / "_COMPLETE").exists()
    # a rerun without the report leaves no stale report behind
    done = run("analyze", *inputs, "--out", dask, "--steps", "sentiment", "--engine", "dask", "--scheduler",
               scheduler)
    assert done.returncode == 0, done.stderr
    assert not (dask / "report.html").exists() and not (dask / "report.pdf").exists()
