"""Data: load a sample or upload exports, confirm the column mapping, check the validation report, save;
and manage the saved datasets."""
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from lib.ingest.build import FILE_NAME, ImportOptions, Source, dataset_name
from lib.ingest.dates_apart import REASON as DATED_APART
from lib.ingest.formats import FORMAT_BY_KEY
from lib.ingest.own_posts import REASON as OWN_REPLY
from lib.ingest.privacy import PII_KINDS
from lib.ingest.reading import InputError
from lib.ingest.schema import FIELDS, PLATFORMS
from lib.report.export import to_csv_bytes
from lib.ui import cache, jobs, run_view, session, widgets

PER_FILE = "as detected for each file"

session.ensure_navigation()

NONE = "(none)"
esc = widgets.md_escape

st.title("Data")
if "data_flash" in st.session_state:
    widgets.show_flash()
    st.page_link("pages/overview.py", label="See the Overview", icon=":material/dashboard:")

tab_add, tab_manage = st.tabs(["Add data", "Saved datasets"])

# ------------------------------------------------------------------ add data
with tab_add:
    st.subheader("Start from a sample")
    st.caption("Realistic, generated posts for the course scenarios. One click imports them.")
    widgets.sample_cards()
    run_view.open_run_form()

    st.subheader("Or upload your exports")
    st.caption("CSV (any delimiter or encoding), Excel (.xlsx or .xls), JSON or JSONL from Facebook, Instagram, X, "
               "TikTok, LinkedIn, YouTube, Reddit or a listening tool, or plain text with one post per line. "
               "Several files become one dataset.")
    round_ = st.session_state.setdefault("upload_round", 0)
    files = st.file_uploader("Exports", type=["csv", "tsv", "txt", "xlsx", "xls", "json", "jsonl", "ndjson", "js"],
                             accept_multiple_files=True, key=f"uploader_{round_}")

    sources: list[Source] = []
    digests: list[str] = []
    for f in files or []:
        try:
            sources.append(cache.read_upload(f.getvalue(), f.name, f.file_id))
            digests.append(f.file_id)
        except InputError as exc:
            st.error(f"{esc(str(exc).rstrip('.'))}. Nothing was imported from this file.", icon=":material/error:")

    if sources:
        st.subheader("1. Check the columns")
        st.caption("Each field of the posts table and the column of your file that feeds it. The guesses are "
                   "pre-filled; change any that are wrong. Columns you don't map are kept as they are.")
        mapped: list[Source] = []
        for i, src in enumerate(sources):
            cols_available = [c for c in src.raw.df.columns if c != "source_row"]
            with st.container(border=True):
                st.markdown(f"**{esc(src.raw.name)}** · {len(src.raw.df):,} rows · recognised as "
                            f"*{esc(src.fmt.label)}*")
                how = ["Plain text, one post per line" if src.raw.kind == "text" else src.raw.kind.upper()]
                if src.raw.encoding:
                    how.append(f"encoding {src.raw.encoding}")
                if src.raw.delimiter:
                    how.append("delimiter " + {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(
                        src.raw.delimiter, repr(src.raw.delimiter)))
                st.caption(" · ".join(how))
                mapping: dict = {}
                grid = st.columns(4)
                # a count added up from one column per platform gets a full-width row below the grid: its
                # column names ("Facebook Likes", "Instagram Likes", ...) do not fit a quarter of the page
                summed = [f for f in FIELDS if f.name != "text" and isinstance(src.mapping.get(f.name), list)]
                cells = [grid[j % 4] for j in range(len(FIELDS) - len(summed))] + [st] * len(summed)
                for fld, cell in zip([f for f in FIELDS if f not in summed] + summed, cells):
                    guess = src.mapping.get(fld.name)
                    if fld.name == "text" or fld in summed:
                        default = guess if isinstance(guess, list) else ([guess] if guess else [])
                        timed = fld.kind == "timestamp"  # a date column and its time-of-day column
                        how = (" Pick several to join them (title + body)." if fld.name == "text" else
                               " The date and its time of day, which the export writes in columns of their own."
                               if timed else
                               " Several columns are added up: a listening tool keeps each platform's figure in "
                               "its own column.")
                        label = fld.label if fld.name == "text" else f"{fld.label} (date and time columns)" \
                            if timed else f"{fld.label} (added up from these columns)"
                        chosen = cell.multiselect(label, cols_available, default=default,
                                                  key=f"map_{i}_{fld.name}", help=fld.help + how)
                        if chosen:
                            mapping[fld.name] = chosen if len(chosen) > 1 else chosen[0]
                    else:
                        options = [NONE] + cols_available
                        idx = options.index(guess) if isinstance(guess, str) and guess in options else 0
                        chosen = cell.selectbox(fld.label, options, index=idx, key=f"map_{i}_{fld.name}",
                                                help=fld.help)
                        if chosen != NONE:
                            mapping[fld.name] = chosen
                used = [c for v in mapping.values() for c in ([v] if isinstance(v, str) else v)]
                if len(used) != len(set(used)):
                    st.warning("One column is mapped to two fields; check the choices above.")
                mapped.append(Source(src.raw, src.fmt, mapping))

        st.subheader("2. Options")
        o1, o2 = st.columns(2)
        with o1:
            order = st.radio("Dates like 03/04/2026 are", ["detect from the data", "day first (DD/MM)",
                                                            "month first (MM/DD)"], key="opt_dayfirst")
            dayfirst = {"detect from the data": None, "day first (DD/MM)": True, "month first (MM/DD)": False}[order]
            detected = sorted({s.fmt.platform or "other" for s in mapped if "platform" not in s.mapping})
            constants = {}
            if detected:  # each file keeps its own export's platform unless one is chosen for all of them
                chosen_platform = st.selectbox(
                    "Platform for files without a platform column", [PER_FILE, *PLATFORMS], key="opt_platform",
                    format_func=lambda p: f"{PER_FILE} ({', '.join(detected)})" if p == PER_FILE else p)
                if chosen_platform != PER_FILE:
                    constants["platform"] = chosen_platform
            unbranded = [s.raw.name for s in mapped if "brand" not in s.mapping]
            file_names = ", ".join(Path(n).stem for n in unbranded[:3]) + (", …" if len(unbranded) > 3 else "")
            by_file = len(unbranded) > 1 and st.checkbox(
                widgets.md_escape(f"Each file is one brand, named after the file ({file_names})"),
                key="opt_brand_by_file",
                help="For one export per brand, competitor or video: share of voice and every split by brand then "
                     "compare the files.")
            if by_file:
                constants["brand"] = FILE_NAME
            elif unbranded:
                brand = st.text_input("Brand for files without a brand column (optional)", key="opt_brand",
                                      help="The brand, competitor or query these posts are about.")
                if brand.strip():
                    constants["brand"] = brand.strip()
            drop_dups = st.checkbox("Remove duplicates (identical rows, repeated ids)", key="opt_dups",
                                    help="Duplicates are always reported below; they are removed only if you "
                                         "tick this.")
        with o2:
            st.markdown("**Privacy before analysis**")
            st.caption("Masking replaces personal details in the post text, and in your file's other columns of "
                       "words (an author's bio), before anything is stored or analysed; pseudonyms replace author "
                       "names, and the same people's ids and profile links in your file's other columns, with a "
                       "stable code (the same person gets the same code in this workspace, and the name cannot be "
                       "read back). The choice is saved with the dataset.")
            mask = st.multiselect("Mask in text", list(PII_KINDS), format_func=lambda k: PII_KINDS[k],
                                  key="opt_mask")
            pseudo = st.checkbox("Pseudonymise authors", key="opt_pseudo")

        keep_own = bool(st.session_state.get("opt_own_replies", False))  # their boxes are shown where they matter,
        keep_far = bool(st.session_state.get("opt_dates_apart", False))  # beside the exclusions (below)
        options = ImportOptions(dayfirst=dayfirst, drop_duplicates=drop_dups, mask_pii=frozenset(mask),
                                pseudonymise=pseudo, salt=session.ws().salt if pseudo else "", constants=constants,
                                keep_own_replies=keep_own, keep_dates_apart=keep_far)
        key = json.dumps([digests, [s.mapping for s in mapped],
                          [dayfirst, drop_dups, sorted(mask), pseudo, constants, keep_own, keep_far]], default=str)
        try:
            result = cache.preview_import(mapped, key, options)
        except InputError as exc:
            st.error(esc(exc))
            st.stop()

        st.subheader("3. Validation report")
        rep = result.report
        excluded_total = sum(rep["excluded"].values())
        m = st.columns(4)
        m[0].metric("Rows read", f"{rep['rows_read']:,}")
        m[1].metric("Posts kept", f"{rep['rows_kept']:,}")
        m[2].metric("Rows excluded", f"{excluded_total:,}")
        m[3].metric("Duplicates found", f"{rep['duplicates']['identical_rows'] + rep['duplicates']['same_id']:,}")
        for reason, n in rep["excluded"].items():
            st.caption(f"Excluded: {n:,} × {esc(reason)}")
        if keep_own or OWN_REPLY in rep["excluded"]:
            st.checkbox("Keep the brands' own replies among the posts", key="opt_own_replies",
                        help="Their answers (\"Please DM us so we can look into this\") would then count in "
                             "sentiment, topics and the audience as if customers had written them.")
        if keep_far or DATED_APART in rep["excluded"]:
            st.checkbox("Keep the posts dated far apart from the others", key="opt_dates_apart",
                        help="Every chart over time would then stretch to include them, the other posts in a "
                             "corner of it.")
        if rep["warnings"]:
            st.warning("**Notes on this import**\n\n" + "\n".join(f"- {esc(w)}" for w in rep["warnings"]),
                       icon=":material/info:")
        unavailable = {k: v for k, v in rep["analyses"].items() if v}
        if unavailable:
            st.info("With this mapping these analyses are not possible: "
                    + "; ".join(f"{k} ({v})" for k, v in unavailable.items()) + ".")
        st.markdown("**Preview** (first 100 posts as they will be stored)")
        widgets.table(result.posts.head(100), hide_index=True, width="stretch", key="preview_table")
        if excluded_total:
            with st.expander(f"Excluded rows ({excluded_total:,})"):
                widgets.table(result.excluded, hide_index=True, width="stretch")
                st.download_button("Download excluded rows (CSV)", to_csv_bytes(result.excluded),
                                   "excluded_rows.csv", "text/csv", key="dl_excluded_preview")

        st.subheader("4. Save")
        default_name = dataset_name([s.raw.name for s in sources])
        name = st.text_input("Dataset name", value=default_name, key=f"ds_name_{round_}")
        if "text" not in set().union(*[s.mapping for s in mapped]):
            st.caption("No text column is mapped: the data still loads, but sentiment and topics will be unavailable.")
        if st.button("Save dataset", type="primary", icon=":material/save:", disabled=result.posts.empty):
            extra = {"options": {"dayfirst": dayfirst, "drop_duplicates": drop_dups, "constants": constants,
                                 "keep_own_replies": keep_own, "keep_dates_apart": keep_far}}
            saved = session.set_active(session.ws().save_dataset(name, result.posts, result.excluded, result.report,
                                                             raw=result.raw, extra_meta=extra))
            job = jobs.start_auto(saved)
            st.session_state["upload_round"] = round_ + 1
            st.session_state["data_flash"] = (f"Saved '{name.strip() or 'dataset'}' with {len(result.posts):,} posts "
                                              "and made it the active dataset." +
                                              (" Topics and audience segments are being found in the background; "
                                               "sentiment and KPIs are ready now." if job else ""))
            st.rerun()
        if result.posts.empty:
            st.caption("Nothing to save: every row was excluded.")

# ------------------------------------------------------------------ manage
with tab_manage:
    datasets = session.ws().list_datasets()
    if datasets.empty:
        st.info("No saved datasets yet.")
    else:
        widgets.table(datasets.drop(columns="id").rename(columns={"created_at": "created (UTC)"}),
                      hide_index=True, width="stretch", key="datasets_table")
        ids = datasets["id"].tolist()
        names = dict(zip(datasets["id"], datasets["name"]))
        current = session.active_id()
        pick = st.selectbox("Dataset", ids, index=ids.index(current) if current in ids else 0,
                            format_func=lambda i: names[i], key="manage_pick")
        meta = session.ws().meta(pick)
        a, b, c = st.columns(3)
        with a:
            st.markdown("**Use**")
            if pick == current:
                st.caption("This is the active dataset.")
            elif st.button("Make active", key="make_active"):
                session.set_active(pick)
                st.rerun()
            # files are built only when a button is clicked, so browsing datasets stays fast
            path = session.ws_path()
            st.download_button("Download posts (CSV)", lambda: to_csv_bytes(session.load_posts(path, pick)),
                               f"{names[pick]}_posts.csv", "text/csv", key="dl_posts")
            n_excluded = sum(meta.get("excluded", {}).values())
            if n_excluded:
                st.download_button(f"Download excluded rows ({n_excluded:,})",
                                   lambda: to_csv_bytes(session.workspace(path).load_excluded(pick)),
                                   f"{names[pick]}_excluded.csv", "text/csv", key="dl_excluded")
        with b:
            st.markdown("**Rename**")
            new_name = st.text_input("New name", value=names[pick], key=f"rename_{pick}", label_visibility="collapsed")
            if st.button("Rename", key="rename_btn") and new_name.strip() and new_name != names[pick]:
                session.ws().rename(pick, new_name)
                st.rerun()
        with c:
            st.markdown("**Delete**")
            sure = st.checkbox("Yes, delete it for good", key=f"confirm_delete_{pick}")
            if st.button("Delete", key="delete_btn", disabled=not sure, type="secondary"):
                session.ws().delete(pick)
                if st.session_state.get(session.ACTIVE) == pick:
                    st.session_state.pop(session.ACTIVE, None)
                st.rerun()
        with st.expander("Import report"):
            privacy = meta.get("privacy", {})
            st.caption(
                f"Rows read {meta.get('rows_read', 0):,} · kept {meta.get('rows_kept', 0):,} · "
                f"masked in text: {', '.join(privacy.get('masked', [])) or 'nothing'} · "
                f"authors pseudonymised: {'yes' if privacy.get('pseudonymised_authors') else 'no'}")
            files = pd.DataFrame([{"file": f["name"], "format": FORMAT_BY_KEY[f["format"]].label
                                   if f["format"] in FORMAT_BY_KEY else "Generic table",
                                   "rows": f["rows_read"],
                                   "mapping": ", ".join(f"{k} ← {v}" for k, v in f["mapping"].items())}
                                  for f in meta.get("files", [])])
            widgets.table(files, hide_index=True, width="stretch")
            for w in meta.get("warnings", []):
                st.text(w)
