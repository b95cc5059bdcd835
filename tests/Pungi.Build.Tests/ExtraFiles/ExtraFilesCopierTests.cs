using Pungi.Build.Diagnostics;
using Pungi.Build.ExtraFiles;
using Pungi.Build.Metadata;
using Pungi.Build.Compose;

namespace Pungi.Build.Tests.ExtraFiles;

/// <summary>
/// Upstream's extra_files fetching (spec §2.5, §2.21: <c>get_file_from_scm</c>, <c>get_dir_from_scm</c>,
/// <c>copy_all</c>, <c>populate_extra_files_metadata</c>) on real temp trees and a real local git repository.
/// </summary>
public sealed class ExtraFilesCopierTests : IDisposable
{
    // Digests of "hello\n", as md5sum/sha1sum/sha256sum print them.
    private const string HelloMd5 = "b1946ac92492d2347c6235b4d2611184";
    private const string HelloSha1 = "f572d396fae9206628714fb2ce00f72e94f2258f";
    private const string HelloSha256 = "5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03";

    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-extrafiles-" + Guid.NewGuid().ToString("N")[..10]);

    public ExtraFilesCopierTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { }
    }

    private string P(string rel) => Path.Combine(_dir, rel);

    private void Write(string rel, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(P(rel))!);
        File.WriteAllText(P(rel), text);
    }

    private static ExtraFileSource FileSource(string files, string target = "", string scm = "file", string? repo = null, string? branch = null, string? dir = null)
        => new(scm, repo, branch, files.Split(';', StringSplitOptions.RemoveEmptyEntries), dir, target);

    [Fact]
    public void FileGlob_CopiesEveryMatchByBaseName_IntoTarget()
    {
        // FileWrapper.export_file: each glob match is copied into <target>/ under its base name.
        Write("project/docs/GPL.txt", "hello\n");
        Write("project/docs/EULA.txt", "eula\n");
        Write("project/docs/README.md", "no\n");
        Write("project/docs/.hidden.txt", "python's glob skips dot files for *\n");
        ExtraFilesCopier.Fetch([FileSource("docs/*.txt", target: "/licenses")], P("project"), P("work"), P("log"));
        Assert.Equal(["licenses/EULA.txt", "licenses/GPL.txt"], ExtraFilesCopier.ListFiles(P("work")));
    }

    [Fact]
    public void FileGlob_MatchingNothing_IsAnError()
    {
        // FileWrapper._get_files: "No files matched <path>".
        Directory.CreateDirectory(P("project"));
        var e = Assert.Throws<PungiException>(() => ExtraFilesCopier.Fetch([FileSource("nothing*.txt")], P("project"), P("work"), P("log")));
        Assert.Equal(ErrorCodes.ExtraFilesNoMatch, e.Code);
        Assert.Contains("No files matched nothing*.txt", e.Message);
    }

    [Fact]
    public void Dir_CopiesItsContentsRecursively()
    {
        // export_dir: copy_all(dir, target) — the directory's contents, not the directory itself.
        Write("project/extra/a", "a");
        Write("project/extra/sub/b", "b");
        ExtraFilesCopier.Fetch([FileSource("", target: "t", dir: "extra")], P("project"), P("work"), P("log"));
        Assert.Equal(["t/a", "t/sub/b"], ExtraFilesCopier.ListFiles(P("work")));

        var e = Assert.Throws<PungiException>(() => ExtraFilesCopier.Fetch([FileSource("", dir: "missing")], P("project"), P("work"), P("log")));
        Assert.Equal(ErrorCodes.ExtraFilesDirMissing, e.Code);
    }

    [Fact]
    public void Target_LeavingTheTree_IsAnError()
    {
        Write("project/GPL", "x");
        var e = Assert.Throws<PungiException>(() => ExtraFilesCopier.Fetch([FileSource("GPL", target: "../../etc")], P("project"), P("work"), P("log")));
        Assert.Equal(ErrorCodes.ExtraFilesBadTarget, e.Code);
    }

    private static readonly string SampleRpms = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms", "noarch");

    /// <summary>
    /// RpmScmWrapper (spec §2.21 "rpm"): the RPMs the repo globs name are exploded; file globs (leading / dropped) are
    /// copied by base name, <c>dir/</c> copies the directory's contents and <c>dir</c> the directory itself.
    /// </summary>
    [Fact]
    public void Rpm_FilesAndDirs_FromTheExplodedPayload()
    {
        var rpm = Path.Combine(SampleRpms, "sample-release-*.noarch.rpm");
        ExtraFilesCopier.Fetch([FileSource("/etc/sample-release;/usr/share/sample/release-notes/*.txt", scm: "rpm", repo: rpm, target: "t")], _dir, P("w1"), P("log"));
        Assert.Equal(File.ReadAllText(Path.Combine(SampleRpmsExploded("sample-release-common-1.0-1.noarch.rpm"), "etc", "sample-release")),
            File.ReadAllText(P("w1/t/sample-release")));
        Assert.True(File.Exists(P("w1/t/index.txt")));

        ExtraFilesCopier.Fetch([FileSource("", scm: "rpm", repo: Path.Combine(SampleRpms, "sample-release-notes-1.0-2.noarch.rpm"), dir: "/usr/share/sample/release-notes/")], _dir, P("w2"), P("log"));
        Assert.True(File.Exists(P("w2/index.txt")));
        ExtraFilesCopier.Fetch([FileSource("", scm: "rpm", repo: Path.Combine(SampleRpms, "sample-release-notes-1.0-2.noarch.rpm"), dir: "/usr/share/sample/release-notes")], _dir, P("w3"), P("log"));
        Assert.True(File.Exists(P("w3/release-notes/index.txt")));

        // A bare repo is a package-set name glob: resolved by the phase (no package set here: nothing fetched).
        ExtraFilesCopier.Fetch([FileSource("/etc/sample-release", scm: "rpm", repo: "sample-release-common", target: "x")], _dir, P("w4"), P("log"),
            s => [Path.Combine(SampleRpms, s.Repo + "-1.0-1.noarch.rpm")]);
        Assert.True(File.Exists(P("w4/x/sample-release")));
        Assert.Equal(ErrorCodes.ExtraFilesBadScm, Assert.Throws<PungiException>(() =>
            ExtraFilesCopier.Fetch([FileSource("x", scm: "rpm", repo: "https://example.org/a.rpm")], _dir, P("w5"), P("log"))).Code);
    }

    private string SampleRpmsExploded(string name)
    {
        var dir = P("exploded-" + name);
        Pungi.Build.Rpm.RpmPayloadReader.ExtractTo(Path.Combine(SampleRpms, name), dir);
        return dir;
    }

    [Fact]
    public void UnsupportedScm_IsAnError()
    {
        var e = Assert.Throws<PungiException>(() => ExtraFilesCopier.Fetch([FileSource("x", scm: "cvs")], _dir, P("work"), P("log")));
        Assert.Equal(ErrorCodes.ExtraFilesBadScm, e.Code);
    }

    [SkippableFact]
    public void Git_BranchAndOlderCommit_FileAndDir()
    {
        // GitWrapper: shallow fetch of repo@branch (default master), falling back to a full clone for a commit id.
        Interop.RequireTool("git");
        var repo = P("repo");
        Directory.CreateDirectory(repo);
        void G(params string[] a) => Interop.Run("git", ["-C", repo, "-c", "user.name=t", "-c", "user.email=t@t", .. a]);
        G("init", "-q", "-b", "master");
        Write("repo/GPL", "version 1\n");
        Write("repo/docs/a.txt", "a\n");
        G("add", "-A");
        G("commit", "-q", "-m", "one");
        var first = Interop.Run("git", "-C", repo, "rev-parse", "HEAD").Trim();
        Write("repo/GPL", "hello\n");
        G("commit", "-q", "-am", "two");
        G("branch", "stable", first);

        ExtraFilesCopier.Fetch([FileSource("GPL", scm: "git", repo: repo)], _dir, P("w1"), P("log"));
        Assert.Equal("hello\n", File.ReadAllText(P("w1/GPL")));
        ExtraFilesCopier.Fetch([FileSource("GPL", scm: "git", repo: repo, branch: "stable")], _dir, P("w2"), P("log"));
        Assert.Equal("version 1\n", File.ReadAllText(P("w2/GPL")));
        ExtraFilesCopier.Fetch([FileSource("GPL", scm: "git", repo: repo, branch: first)], _dir, P("w3"), P("log"));
        Assert.Equal("version 1\n", File.ReadAllText(P("w3/GPL")));
        ExtraFilesCopier.Fetch([FileSource("", scm: "git", repo: repo, dir: "docs", target: "d")], _dir, P("w4"), P("log"));
        Assert.Equal(["d/a.txt"], ExtraFilesCopier.ListFiles(P("w4")));

        var e = Assert.Throws<PungiException>(() => ExtraFilesCopier.Fetch([FileSource("GPL", scm: "git", repo: repo, branch: "no-such-branch")], _dir, P("w5"), P("log")));
        Assert.Equal(ErrorCodes.ScmGitFailed, e.Code);
        Assert.Contains("no-such-branch", e.Message);
    }

    [Fact]
    public void Sync_IsContentOnly_AndRemovesFilesNoLongerFetched()
    {
        Write("work/GPL", "hello\n");
        Write("work/docs/x", "x");
        var first = ExtraFilesCopier.Sync(P("work"), P("tree"), []);
        Assert.Equal(["GPL", "docs/x"], first.Written);
        var stamp = new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(P("tree/GPL"), stamp);

        // Same bytes: nothing written, the file keeps its time (so Createiso's inputs stay older than its stamp).
        var again = ExtraFilesCopier.Sync(P("work"), P("tree"), first.Files);
        Assert.Empty(again.Written);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(P("tree/GPL")));

        // Changed bytes: only that file, with a fresh time; a file no longer fetched leaves the tree.
        Write("work/GPL", "changed\n");
        File.Delete(P("work/docs/x"));
        var changed = ExtraFilesCopier.Sync(P("work"), P("tree"), again.Files);
        Assert.Equal(["GPL"], changed.Written);
        Assert.Equal(["docs/x"], changed.Removed);
        Assert.False(File.Exists(P("tree/docs/x")));
        Assert.True(File.GetLastWriteTimeUtc(P("tree/GPL")) > stamp);
    }

    [Fact]
    public void Describe_AllMediaChecksums_AndBothJsonFormsRoundTrip()
    {
        // populate_extra_files_metadata: size + every media_checksums digest; per-tree paths relative to the tree,
        // global ones relative to compose/ (spec §6.5).
        Write("tree/GPL", "hello\n");
        var tree = ExtraFilesCopier.Describe(P("tree"), ["GPL"], ["md5", "sha1", "sha256"]);
        var e = Assert.Single(tree);
        Assert.Equal(("GPL", 6L), (e.File, e.Size));
        Assert.Equal(HelloMd5, e.Checksums["md5"]);
        Assert.Equal(HelloSha1, e.Checksums["sha1"]);
        Assert.Equal(HelloSha256, e.Checksums["sha256"]);

        var text = ExtraFilesJson.SerializeTree(tree);
        var back = Assert.Single(ExtraFilesJson.ParseTree(text));
        Assert.Equal(e.File, back.File);
        Assert.Equal(e.Checksums, back.Checksums);

        var global = new ExtraFilesJson(new ComposeHeader("SAMPLE-1.0-20261127.t.0", "test", "20261127", 0));
        foreach (var g in ExtraFilesCopier.Describe(P("tree"), ["GPL"], ["sha256"], "Server/x86_64/os/"))
            global.Add("Server", "x86_64", g);
        var parsed = ExtraFilesJson.Parse(global.Serialize());
        Assert.Equal(global.Serialize(), parsed.Serialize());
        Assert.Equal("Server/x86_64/os/GPL", parsed.Files["Server"]["x86_64"].Single().File);
    }
}
