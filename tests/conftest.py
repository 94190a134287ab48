"""Shared fixtures: the real public datasets (optional) and throwaway workspaces."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared" / "data"


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared/data is not present on this machine")
    return SHARED


@pytest.fixture
def workspace(tmp_path):
    from lib.store.workspace import Workspace

    ws = Workspace(tmp_path / "ws.duckdb")
    yield ws
    ws.close()


# The header of Kaggle's Customer Support on Twitter (a real dump of companies' care accounts and their customers;
# its anonymised customers are numbers, its companies their handles); the rows are written here in its shape.
CARE = """tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id
1,SpotifyCares,False,Tue Oct 31 22:10:47 +0000 2017,@115712 Sorry to hear that! Please send us a DM,2,3
2,115712,True,Tue Oct 31 22:11:45 +0000 2017,@SpotifyCares done,,1
3,115712,True,Tue Oct 31 22:08:27 +0000 2017,my playlists vanished after the update,1,
4,AppleSupport,False,Tue Oct 31 22:14:37 +0000 2017,@115713 We'd like to help. Which iOS version are you on?,,5
5,115713,True,Tue Oct 31 22:12:09 +0000 2017,@AppleSupport battery drains in two hours since iOS 11,4,
6,115714,True,Tue Oct 31 22:15:00 +0000 2017,hey @applesupport my screen froze again,,
7,115715,True,Tue Oct 31 22:16:00 +0000 2017,what a week,,
8,SpotifyCares,False,Mon Oct 30 15:00:02 +0000 2017,Our Halloween playlists are live!,,
"""


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return p


@pytest.fixture(autouse=True)
def no_background_analysis(monkeypatch, request):
    """Topics and segments start by themselves after an import in the app; tests press the buttons themselves,
    except those about the background analysis (named so)."""
    if "background" not in request.node.name:
        monkeypatch.setenv("LISTENING_LAB_AUTO", "0")


@pytest.fixture(autouse=True)
def main_module_restored():
    """Streamlit's AppTest leaves the app script as `sys.modules["__main__"]`; processes started afterwards by spawn
    (the Dask tests' LocalCluster workers) would then run app.py at start and fail. Each test gets it back."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main


def complaint_heavy_tweets(shared: Path, n: int, seed: int):  # type: ignore[no-untyped-def]
    """`n` TweetEval test tweets (evaluation only) drawn at 63 % negative, issue 20's airline export's mix, with
    their labels: (texts, truth), both indexed 0..n-1."""
    import numpy as np
    import pandas as pd

    from lib.listening.sentiment import LABELS

    d = shared / "tweeteval_sentiment"
    truth = pd.Series((d / "test_labels.txt").read_text().split()).astype(int).map(dict(enumerate(LABELS)))
    texts = pd.Series((d / "test_text.txt").read_text(encoding="utf-8").split("\n")[:len(truth)])
    rng = np.random.default_rng(seed)
    negative = round(0.63 * n)
    rows = np.r_[rng.choice(np.flatnonzero(truth == "negative"), negative, replace=False),
                 rng.choice(np.flatnonzero(truth != "negative"), n - negative, replace=False)]
    return texts[rows].reset_index(drop=True), truth[rows].reset_index(drop=True)
