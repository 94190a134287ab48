"""The install stays honest: no torch, no CUDA, no sentence-transformers, and heavy modules load lazily."""
import importlib.metadata as md
import subprocess
import sys

from tests.conftest import ROOT


def test_no_gpu_or_torch_packages_installed():
    names = {d.metadata["Name"].lower() for d in md.distributions()}
    assert not {n for n in names if n.startswith(("torch", "nvidia-", "sentence-transformers", "triton"))}
    assert md.version("bertopic").endswith("+nost")


def test_clean_import_of_everything():
    code = ("import sys; import lib.cli, lib.ingest.build, lib.store.workspace, lib.listening.overview, "
            "lib.listening.charts, lib.topics.fit, lib.embeddings.cache, "
            "lib.topics.views, lib.topics.charts, lib.audience.segments, lib.audience.views, lib.foresight.model, "
            "lib.foresight.charts; "
            "heavy = {'bertopic', 'umap', 'hdbscan', 'onnxruntime', 'statsmodels'} & set(sys.modules); "
            "assert not heavy, f'heavy modules must load lazily: {heavy}'; "
            "import statsmodels.tsa.exponential_smoothing.ets; "
            "import bertopic, umap, hdbscan, vaderSentiment, duckdb, streamlit, altair; "
            "bad = [m for m in ('torch', 'sentence_transformers', 'tensorflow') if m in sys.modules]; "
            "assert not bad, bad; print('clean')")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "clean", out.stderr[-2000:]


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith(("./", "-")):
            assert "==" in line, f"unpinned requirement: {line}"
    assert "sentence-transformers" not in (ROOT / "requirements.txt").read_text().split("#")[0]


def test_streamlit_config_keeps_data_local():
    cfg = (ROOT / ".streamlit" / "config.toml").read_text()
    assert "gatherUsageStats = false" in cfg
    assert "maxUploadSize = 200" in cfg
    assert "enableAgentApi = false" in cfg


def test_streamlit_config_skips_the_full_collection_after_every_run():
    """A full gc.collect after every run (fragments polling a job included) held the GIL so long that five shared
    sessions never got their models (bench/shared_sessions.py: timeouts at 300 s, then 26-59 s without it)."""
    import tomllib

    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert cfg["runner"]["postScriptGC"] is False
