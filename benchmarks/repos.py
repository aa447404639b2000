"""The whole-repository benchmark's corpus: real, popular public repositories in seven languages, pinned
to one version each and taken only from package registries (PyPI sdists, npm tarballs, Debian binary
and source packages), each download checked against the sha256 recorded here.

`python benchmarks/repos.py` fetches and unpacks them all into benchmarks/.cache/repos/<name>/
(git-ignored; a second run downloads nothing) and checks that every question's target file and line
span in benchmarks/queries/repos/<name>.json exists in the pinned sources.

Each repository is in one fixed split: `tune` (weights and defaults may be chosen on it) or `report`
(figures are reported on it, never tuned on), two to four of each language, balanced by language. A third
split, `fresh`, holds repositories added later as a newcomer would meet them (questions written and committed
before the first search on them); it is never tuned on, and `all` keeps meaning tune + report so earlier
figures stay comparable (`--split fresh` selects it alone). A fourth, `fresh2`, is a second such split with the
languages `fresh` lacks (Java, PHP, plain JavaScript) and a larger TypeScript project (`--split fresh2`). A fifth, `fresh3` (Python, Go, Ruby, Java), is a third, kept
unseen to report a ranking change chosen on the tuning half (`--split fresh3`). A sixth, `fresh4` (TypeScript, Java, PHP,
JavaScript), is a fourth such split, made when the first three had been looked at too often (`--split fresh4`).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent
CACHE = HERE / ".cache"
DOWNLOADS = CACHE / "downloads"
REPOS = CACHE / "repos"
APT = CACHE / "apt"
QUERIES = HERE / "queries" / "repos"
LANGUAGES = ("python", "javascript", "typescript", "go", "java", "ruby", "php")
SPLITS = ("tune", "report")  # the splits `all` means
EXTRA_SPLITS = ("fresh", "fresh2", "fresh3", "fresh4")  # selected only by name: never tuned on, never in `all`
SPLIT_CHOICES = SPLITS + EXTRA_SPLITS + ("all",)  # what a benchmark's --split accepts
CATEGORIES = ("architecture", "semantic", "symbol")


@dataclass(frozen=True)
class Repo:
    """One pinned repository: where it comes from, its checksum, and which part of the archive is the tree."""

    name: str
    language: str
    split: str
    source: str  # pypi | npm | deb (binary package) | debsrc (Debian source package's upstream tarball)
    package: str
    version: str
    sha256: str
    tree: str  # folder inside the unpacked archive that is the repository (what a checkout would hold)
    upstream: str  # the project's home, for people (never fetched)

    @property
    def archive(self) -> str:
        """The downloaded file's name under .cache/downloads."""
        ext = {"pypi": ".tar.gz", "npm": ".tgz", "deb": ".deb", "debsrc": ".orig.tar.xz"}[self.source]
        return f"{self.name}-{self.version}{ext}"

    @property
    def root(self) -> Path:
        return REPOS / self.name


PINNED: tuple[Repo, ...] = (
    # Python: PyPI sdists
    Repo("requests", "python", "tune", "pypi", "requests", "2.32.3",
         "55365417734eb18255590a9ff9eb97e9e1da868d4ccd6402399eaf68af20a760", "requests-2.32.3", "psf/requests"),
    Repo("flask", "python", "report", "pypi", "flask", "3.0.3",
         "ceb27b0af3823ea2737928a4d99d125a06175b8512c445cbd9a9ce200ef76842", "flask-3.0.3", "pallets/flask"),
    Repo("click", "python", "tune", "pypi", "click", "8.1.7",
         "ca9853ad459e787e2192211578cc907e7594e294c7ccc834310722b41b9ca6de", "click-8.1.7", "pallets/click"),
    # JavaScript: npm tarballs (the published sources; axios' bundles under dist/ are left out)
    Repo("express", "javascript", "tune", "npm", "express", "4.21.2",
         "fc43a91e7dc7affb53c6ad7123a4f35485ed3c45226ae7a3847b7738e783e008", "package", "expressjs/express"),
    Repo("axios", "javascript", "report", "npm", "axios", "1.7.9",
         "634e3ed585d7c8857f00cb7556f79422614e8defd008f8bb34b6018c1faefa0f", "package/lib", "axios/axios"),
    Repo("koa", "javascript", "report", "npm", "koa", "2.15.3",
         "23b9a334640c93f61306e1941dc87b6001b0273230482fb9138243de870727f1", "package", "koajs/koa"),
    # TypeScript: npm tarballs that ship their .ts sources (src/)
    Repo("trpc-server", "typescript", "tune", "npm", "@trpc/server", "10.45.2",
         "7b861ef0a4410e1f988645c29a7680be8c860b459136716e3b91941c0fd1783e", "package/src", "trpc/trpc"),
    Repo("query-core", "typescript", "report", "npm", "@tanstack/query-core", "5.62.8",
         "3e027c391d9bd3713b6efe867ce6d00a17e456784db5538d40acd55af80e1ca9", "package/src", "TanStack/query"),
    Repo("rxjs", "typescript", "tune", "npm", "rxjs", "7.8.1",
         "c532167725ab7d085123209156c93cef22f2479cb9c8527060f1cd903aa9d149", "package/src", "ReactiveX/rxjs"),
    # Go: Debian -dev packages carry the module's sources
    Repo("gorilla-mux", "go", "tune", "deb", "golang-github-gorilla-mux-dev", "1.8.0-1",
         "0880a4019fe68496a0e0a749c2948c029e489f49edd448bed2fedaba33f848c2", "usr/share/gocode/src/github.com/gorilla/mux", "gorilla/mux"),
    Repo("cobra", "go", "report", "deb", "golang-github-spf13-cobra-dev", "1.6.1-1",
         "4f5d20855133319beef3c5b49d3c21a0406f270bf94fb4b6f4d406b691283cb2", "usr/share/gocode/src/github.com/spf13/cobra", "spf13/cobra"),
    Repo("logrus", "go", "report", "deb", "golang-github-sirupsen-logrus-dev", "1.9.0-1",
         "51fb87b05452e96be38b97c03d5f997f6ce3a144421f911338d6c4ea2e8aa118", "usr/share/gocode/src/github.com/sirupsen/logrus", "sirupsen/logrus"),
    # Java: Debian source packages' upstream tarballs (the whole upstream tree, tests included)
    Repo("jsoup", "java", "tune", "debsrc", "jsoup", "1.15.3-1",
         "052511f0be47511f9b2a17d44fc1eccc4b5373e77cc5a3221e34b6af437e1e2e", "jsoup-jsoup-1.15.3", "jhy/jsoup"),
    Repo("javapoet", "java", "report", "debsrc", "javapoet", "1.13.0-1",
         "b2181f46a78d1362df6ce422a07d00a9320a195fc15d412f26479e4781ffb276", "javapoet-javapoet-1.13.0", "square/javapoet"),
    Repo("commons-lang", "java", "report", "debsrc", "libcommons-lang3-java", "3.12.0-2+deb12u1",
         "f7c22574707611b63bae19ff17f59e24cdd32e2b0e61a50ec9b1b525fbc909d1", "commons-lang-rel-commons-lang-3.12.0", "apache/commons-lang"),
    # Ruby: Debian ruby-* packages carry the gem's lib/
    Repo("sinatra", "ruby", "tune", "deb", "ruby-sinatra", "3.0.5-3+deb12u1",
         "7980ec9e78c5e48bf9062111c68296c183c8fb2bb0b522f85e3dc04129221323", "usr/share/rubygems-integration/all/gems/sinatra-3.0.5", "sinatra/sinatra"),
    Repo("rack", "ruby", "report", "deb", "ruby-rack", "2.2.22-0+deb12u2",
         "7ba26a66f6981b48ac604c9b829de51bdfc5d5ec8f329cf823b0aab72f718354", "usr/share/rubygems-integration/all/gems/rack-2.2.22", "rack/rack"),
    Repo("thor", "ruby", "tune", "deb", "ruby-thor", "1.2.1-2",
         "509715d16039ee7336531718e2497d0f81ae125b9ee53f321dd909c2f03fd2e1", "usr/share/rubygems-integration/all/gems/thor-1.2.1", "rails/thor"),
    # PHP: Debian php-* packages carry the library's sources
    Repo("monolog", "php", "tune", "deb", "php-monolog", "2.9.1-1",
         "f8a26688b521e33cf6ef73b75ae5eac0cb026d986a336161456dd37dbb710681", "usr/share/php/Monolog", "Seldaek/monolog"),
    Repo("guzzle-psr7", "php", "report", "deb", "php-guzzlehttp-psr7", "2.4.5-1+deb12u1",
         "62a536ac1e6f7fc47e6f36562e0049da3023b3adeac1be114c9fda2fbc08eb52", "usr/share/php/GuzzleHttp/Psr7", "guzzle/psr7"),
    Repo("slim", "php", "report", "deb", "php-slim", "3.12.4-1",
         "96aa8faec0c5ade234f3e9bf6deae8ca6badbe417c49e545d9dc55cda324bfe9", "usr/share/php/Slim", "slimphp/Slim"),
    # fresh: added as a new user would meet them, questions committed before any search on them
    Repo("mobx", "typescript", "fresh", "npm", "mobx", "6.13.5",
         "b85a7f765065c081724a7c49e91f59950151607b2f1c5a77c8ec4231f7129a1b", "package/src", "mobxjs/mobx"),
    Repo("httpx", "python", "fresh", "pypi", "httpx", "0.27.2",
         "f7c2be1d2f3c3c3160d441802406b206c2b76f5947b11115e6df10c6c65e66c2", "httpx-0.27.2", "encode/httpx"),
    Repo("actionpack", "ruby", "fresh", "deb", "ruby-actionpack", "2:6.1.7.10+dfsg-1~deb12u4",
         "262bc355d5e93bbb997d5bb15052bd723206331922d0f12077ba3dff0371e236",
         "usr/share/rubygems-integration/all/gems/actionpack-6.1.7.10", "rails/rails (actionpack)"),
    Repo("gin", "go", "fresh", "deb", "golang-github-gin-gonic-gin-dev", "1.8.1-1",
         "66d916769bcd36a6722b0c92a81719b8faca56f69662b17d1ef7ba257c85367a", "usr/share/gocode/src/github.com/gin-gonic/gin", "gin-gonic/gin"),
    # fresh2: a second never-tuned split with the languages `fresh` lacks (Java, PHP, JavaScript) and a larger
    # TypeScript project; questions committed before any search on them
    Repo("jackson-core", "java", "fresh2", "debsrc", "jackson-core", "2.14.1-2~deb12u1",
         "d9eb6aa1898c4d5a582c52e69da249efae25e4d2c809c57dc6b6ee01c4b0fb3b", "jackson-core-jackson-core-2.14.1", "FasterXML/jackson-core"),
    Repo("twig", "php", "fresh2", "deb", "php-twig", "3.5.1-1+deb12u3",
         "a0ac1c8c28830e506ed8bd035d7dde4a2e9481adc7ce0138305576cab4c277c1", "usr/share/php/Twig", "twigphp/Twig"),
    Repo("mocha", "javascript", "fresh2", "npm", "mocha", "12.0.3",
         "3a93ba09b4b5f591a947ef5226ca9ae76220b124fe610dbcd5b76eb320512919", "package/lib", "mochajs/mocha"),
    Repo("redux-toolkit", "typescript", "fresh2", "npm", "@reduxjs/toolkit", "2.16.0",
         "f815be44e3876a2c72f01135768a872048c00cb7bfabf313b238004302c32f2a", "package/src", "reduxjs/redux-toolkit"),
    # fresh3: a third never-tuned split (Python, Go, Ruby, Java), for reporting a ranking change chosen on the
    # tuning half; questions committed before any search on them
    Repo("rich", "python", "fresh3", "pypi", "rich", "13.9.4",
         "439594978a49a09530cff7ebc4b5c7103ef57baf48d5ea3184f21d9a2befa098", "rich-13.9.4", "Textualize/rich"),
    Repo("chi", "go", "fresh3", "deb", "golang-github-go-chi-chi-dev", "5.0.7-1",
         "70beea5ca4f20af122e8083c91b56b6055df895595c7d9dcf286fadd4ad26f9b", "usr/share/gocode/src/github.com/go-chi/chi", "go-chi/chi"),
    Repo("kramdown", "ruby", "fresh3", "deb", "ruby-kramdown", "2.4.0-2",
         "2508d1b422c5f3d49df0814cbf3097c3f63d9d6a1eef3709542caeb8883b9e89",
         "usr/share/rubygems-integration/all/gems/kramdown-2.4.0", "gettalong/kramdown"),
    Repo("commons-codec", "java", "fresh3", "debsrc", "libcommons-codec-java", "1.15-1",
         "857c58c23bfe6b284b174d89f323de438042ce9a005b2a81afa658962caff90f", "commons-codec-rel-commons-codec-1.15", "apache/commons-codec"),
    # fresh4: a fourth never-tuned split (TypeScript, Java, PHP, JavaScript), made when fresh2 and fresh3 had been looked
    # at too often; questions committed before any search on them
    Repo("router-core", "typescript", "fresh4", "npm", "@tanstack/router-core", "1.171.39",
         "0c9345f2830bda69901d464a293d101f10635d3c935f7f1e310681b71bd2e962", "package/src", "TanStack/router (router-core)"),
    Repo("jcommander", "java", "fresh4", "debsrc", "jcommander", "1.71-4",
         "76042dd8287e3feaae3693967aecc59dcb84475546b3dc87741c4ea3e0516071", "jcommander-1.71", "cbeust/jcommander"),
    Repo("symfony-console", "php", "fresh4", "deb", "php-symfony-console", "5.4.53+dfsg-0+deb12u1",
         "64bd4cbdd9556ee3fd212e444a8df4aa0af00e09c81abb8634eff819a7bab62b", "usr/share/php/Symfony/Component/Console",
         "symfony/console"),
    Repo("less", "javascript", "fresh4", "npm", "less", "4.9.1",
         "dc91904c4a288ef3f2835f163c8ec4629d7dd7a5388255fc124873f5cdbb4d03", "package/lib", "less/less.js"),
)
BY_NAME = {r.name: r for r in PINNED}


def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# -- downloading --------------------------------------------------------------------------------------------
def _run(cmd: list[str], cwd: Path) -> None:
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    if done.returncode:
        tail = (done.stderr or done.stdout).strip().splitlines()[-3:]
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}: {' / '.join(tail)}")


def _apt_options() -> list[str]:
    """apt-get options for a private state under .cache/apt: the system's Debian sources, binary and source
    indexes, so fetching changes nothing on the machine (it needs no deb-src line in its configuration)."""
    etc, lists = APT / "etc", APT / "lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (etc / "sources.list.d").mkdir(parents=True, exist_ok=True)
    system = sorted(Path("/etc/apt/sources.list.d").glob("*.sources"))
    for f in system:  # deb822 stanzas: also ask for the sources
        text = f.read_text().replace("Types: deb\n", "Types: deb deb-src\n")
        (etc / "sources.list.d" / f.name).write_text(text)
    legacy = Path("/etc/apt/sources.list")
    lines = legacy.read_text().splitlines() if legacy.exists() else []
    src = [ln.replace("deb ", "deb-src ", 1) for ln in lines if ln.startswith("deb ")]
    (etc / "sources.list").write_text("\n".join(lines + src) + "\n")
    return ["-o", f"Dir::Etc::SourceList={etc / 'sources.list'}", "-o", f"Dir::Etc::SourceParts={etc / 'sources.list.d'}",
            "-o", f"Dir::State::Lists={lists}", "-o", "APT::Sandbox::User=root"]


_apt_ready = False


def _apt(args: list[str], cwd: Path) -> None:
    """One apt-get call on the private state (its indexes refreshed once per run, before the first download)."""
    global _apt_ready
    opts = _apt_options()
    if not _apt_ready:
        _run(["apt-get", *opts, "update"], cwd)
        _apt_ready = True
    _run(["apt-get", *opts, *args], cwd)


def download(repo: Repo) -> Path:
    """The repository's archive under .cache/downloads, fetched by the registry's own client when missing."""
    DOWNLOADS.mkdir(parents=True, exist_ok=True)
    path = DOWNLOADS / repo.archive
    if path.exists():
        return path
    with tempfile.TemporaryDirectory(dir=DOWNLOADS) as tmp:
        work = Path(tmp)
        if repo.source == "pypi":
            _run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                  "-d", ".", f"{repo.package}=={repo.version}"], work)
        elif repo.source == "npm":
            _run(["npm", "pack", "--silent", f"{repo.package}@{repo.version}"], work)
        elif repo.source == "deb":
            _apt(["download", f"{repo.package}={repo.version}"], work)
        elif repo.source == "debsrc":
            _apt(["source", "--download-only", f"{repo.package}={repo.version}"], work)
        else:
            raise SystemExit(f"{repo.name}: unknown source {repo.source!r}")
        suffix = {"pypi": ".tar.gz", "npm": ".tgz", "deb": ".deb", "debsrc": ".orig.tar.xz"}[repo.source]
        found = [p for p in work.iterdir() if p.name.endswith(suffix)]
        if len(found) != 1:
            raise SystemExit(f"{repo.name}: expected {repo.archive} after download, got {sorted(p.name for p in work.iterdir())}")
        shutil.move(str(found[0]), path)
    return path


def verify(repo: Repo, path: Path) -> None:
    """The archive is exactly the pinned one (a different file is an error: remove it and fetch again)."""
    digest = sha256(path)
    if repo.sha256 and digest != repo.sha256:
        raise SystemExit(f"{repo.name}: {path} has sha256 {digest}, pinned {repo.sha256}: delete it and run again, "
                         "or re-pin after checking why the registry's file changed")
    if not repo.sha256:
        print(f"{repo.name}: sha256 {digest} (not pinned yet)", file=sys.stderr)


def unpack(repo: Repo, path: Path) -> Path:
    """The repository tree under .cache/repos/<name> (unpacked once; the archive's `tree` folder only)."""
    if repo.root.is_dir():
        return repo.root
    REPOS.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=REPOS) as tmp:
        work = Path(tmp)
        if repo.source == "deb":
            _run(["dpkg-deb", "-x", str(path), str(work)], work)
        else:
            with tarfile.open(path) as tar:
                tar.extractall(work, filter="data")
        tree = work / repo.tree
        if not tree.is_dir():
            raise SystemExit(f"{repo.name}: no folder {repo.tree} in {path.name} (it holds {sorted(p.name for p in work.iterdir())})")
        for link in [p for p in tree.rglob("*") if p.is_symlink()]:  # packaging links (licences, shared docs)
            link.unlink()
        shutil.move(str(tree), repo.root)
    return repo.root


def fetch(repo: Repo) -> Path:
    """Download (when missing), verify and unpack one repository; its tree."""
    path = download(repo)
    verify(repo, path)
    return unpack(repo, path)


# -- questions ------------------------------------------------------------------------------------------------
def load_questions(name: str) -> list[dict]:
    """A repository's questions (benchmarks/queries/repos/<name>.json), [] when none are written yet."""
    path = QUERIES / f"{name}.json"
    return json.loads(path.read_text())["questions"] if path.exists() else []


def check_questions(repo: Repo) -> list[str]:
    """Problems with a repository's questions against its pinned tree: missing files, spans past the end."""
    problems = []
    for q in load_questions(repo.name):
        for t in q["targets"]:
            f = repo.root / t["path"]
            if not f.is_file():
                problems.append(f"{repo.name}: {q['query']!r}: no file {t['path']}")
                continue
            n = len(f.read_text(encoding="utf-8", errors="replace").splitlines())
            first, last = t["lines"]
            if not 1 <= first <= last <= n:
                problems.append(f"{repo.name}: {q['query']!r}: lines {first}-{last} outside {t['path']} ({n} lines)")
    return problems


def selected(names: str | None, split: str = "all") -> list[Repo]:
    """The pinned repositories named (comma-separated; all when None) in the split (tune, report, fresh..fresh4, or all:
    tune + report, the halves every earlier figure was measured on, unless names are given)."""
    repos = list(PINNED) if not names else [BY_NAME[n] for n in names.split(",") if n]
    unknown = [n for n in (names or "").split(",") if n and n not in BY_NAME]
    if unknown:
        raise SystemExit(f"unknown repositories {unknown}: choose from {', '.join(BY_NAME)}")
    return [r for r in repos if r.split == split or (split == "all" and (names or r.split in SPLITS))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--repos", help="comma-separated names (default: all)")
    ap.add_argument("--split", choices=SPLIT_CHOICES, default="all")
    ap.add_argument("--list", action="store_true", help="print the pinned list and exit")
    args = ap.parse_args()
    repos = selected(args.repos, args.split)
    if args.list:
        for r in repos:
            print(f"{r.name:<14} {r.language:<11} {r.split:<7} {r.source:<7} {r.package}=={r.version}  {len(load_questions(r.name))} questions")
        return
    problems = []
    for r in repos:
        root = fetch(r)
        problems += check_questions(r)
        print(f"{r.name}: {root}", file=sys.stderr)
    if problems:
        raise SystemExit("questions that point nowhere:\n" + "\n".join(problems))


if __name__ == "__main__":
    main()
