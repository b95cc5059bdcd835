using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.OSTree;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.OSTree;

/// <summary>
/// The local OSTree backend (spec §2.7, DESIGN.md §8): a treefile resolved from the sample product's real RPMs, the
/// payloads committed to a real ostree repository, checked with <c>ostree log</c> / <c>ostree ls -R</c> against
/// <c>rpm -qp</c>'s file lists.
/// </summary>
public sealed class OstreeComposerTests : IDisposable
{
    private static readonly string SampleRpms = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms");
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "pungi-ostree-" + Guid.NewGuid().ToString("N")[..10]);

    public OstreeComposerTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private string P(string rel) => Path.Combine(_dir, rel);

    private string WriteTreefile(string name, string json)
    {
        File.WriteAllText(P(name), json);
        return P(name);
    }

    /// <summary>The sample's binary RPMs (x86_64, i686, noarch) as one repository, each located at its file.</summary>
    private static IReadOnlyList<GatherRepo> SampleRepo()
        => [new GatherRepo("sample", new[] { "x86_64", "i686", "noarch" }
            .SelectMany(a => Directory.EnumerateFiles(Path.Combine(SampleRpms, a), "*.rpm"))
            .Select(f => RpmHeaderReader.Read(f).WithLocation(f)).ToList())];

    [Fact]
    public void Treefile_IncludeMerge_ArchPackages_WhitespaceSplit_IgnoredKeys()
    {
        // rpm-ostree: included file first for lists, the includer's scalars win; packages-<basearch>; entries split
        // at whitespace; ${basearch} in ref.
        WriteTreefile("base.json", """{"ref": "base/${basearch}", "packages": ["a b"], "selinux": true, "packages-aarch64": ["arm"]}""");
        var path = WriteTreefile("top.json", """{"include": "base.json", "ref": "top/${basearch}/x", "packages": ["c"], "packages-x86_64": ["d"], "repos": ["fedora"], "documentation": false}""");
        var t = Treefile.Load(path, "x86_64");
        Assert.Equal("top/x86_64/x", t.Ref);
        Assert.Equal(["a", "b", "c", "d"], t.Packages);
        Assert.Equal(["fedora"], t.Repos);
        Assert.Equal(["documentation", "selinux"], t.IgnoredKeys);
    }

    [Fact]
    public void Treefile_BadInput_IsCoded()
    {
        Assert.Equal(ErrorCodes.OstreeTreefileMissing, Assert.Throws<PungiException>(() => Treefile.Load(P("none.json"), "x86_64")).Code);
        var cyc = WriteTreefile("cyc.json", """{"include": "cyc.json"}""");
        Assert.Equal(ErrorCodes.OstreeIncludeCycle, Assert.Throws<PungiException>(() => Treefile.Load(cyc, "x86_64")).Code);
        var bad = WriteTreefile("bad.json", """{"packages": "not-a-list"}""");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(bad, "x86_64")).Code);
        var yaml = WriteTreefile("t.yaml", "ref: [x\n");
        Assert.Equal(ErrorCodes.OstreeTreefileInvalid, Assert.Throws<PungiException>(() => Treefile.Load(yaml, "x86_64")).Code);
    }

    [Fact]
    public void Resolve_FollowsRequirements_AsRpmOstreeWould()
    {
        // Worked out by hand from `rpm -qpR`: sample-bash requires sample-glibc(x86-64); sample-glibc requires
        // sample-filesystem and sample-glibc-common; sample-glibc-common requires sample-setup. No i686 package.
        var path = WriteTreefile("t.json", """{"ref": "r", "packages": ["sample-bash"]}""");
        var packages = OstreeComposer.Resolve(Treefile.Load(path, "x86_64"), path, "x86_64", SampleRepo());
        Assert.Equal(["sample-bash.x86_64", "sample-filesystem.noarch", "sample-glibc-common.x86_64", "sample-glibc.x86_64", "sample-setup.noarch"],
            packages.Select(p => $"{p.Name}.{p.Arch}").Order(StringComparer.Ordinal));

        var missing = WriteTreefile("m.json", """{"ref": "r", "packages": ["no-such-package"]}""");
        var e = Assert.Throws<PungiException>(() => OstreeComposer.Resolve(Treefile.Load(missing, "x86_64"), missing, "x86_64", SampleRepo()));
        Assert.Equal(ErrorCodes.OstreePackageNotFound, e.Code);
        Assert.Contains("no-such-package", e.Message);
    }

    [Fact]
    public void MissingRepoParent_IsCoded()
    {
        var e = Assert.Throws<PungiException>(() => OstreeComposer.EnsureRepo(P("no/such/dir/repo"), P("log")));
        Assert.Equal(ErrorCodes.OstreeRepoMissing, e.Code);
    }

    [SkippableFact]
    public void BrokenRepo_ToolFailure_QuotesTheLogsLastLines()
    {
        // Issue #9 "bad input": a failed ostree command is a coded error quoting its output.
        Interop.RequireTool("ostree");
        Directory.CreateDirectory(P("repo"));
        File.WriteAllText(P("repo/config"), "this is not a key file [\n");
        var path = WriteTreefile("t.json", """{"ref": "r", "packages": ["sample-bash"]}""");
        var e = Assert.Throws<PungiException>(() => OstreeComposer.Compose(new OstreeRequest
        {
            Treefile = path, Arch = "x86_64", Repos = SampleRepo(), OstreeRepo = P("repo"), WorkDir = P("work"), LogDir = P("logs"),
        }));
        Assert.Equal(ErrorCodes.OstreeToolFailed, e.Code);
        Assert.Contains("ostree commit", e.Message);
        Assert.Contains("last lines of", e.Message);
        Assert.Contains("error:", e.Message, StringComparison.OrdinalIgnoreCase);
        File.WriteAllText(P("afile"), "");
        Assert.Equal(ErrorCodes.OstreeRepoMissing, Assert.Throws<PungiException>(() => OstreeComposer.EnsureRepo(P("afile"), P("log"))).Code);
    }

    [SkippableFact]
    public void Commit_ToRealRepo_LogShowsVersion_LsListsExactlyThePayloads()
    {
        Interop.RequireTool("ostree");
        Interop.RequireTool("rpm");
        var path = WriteTreefile("t.json", """{"ref": "sample/${basearch}/base", "packages": ["sample-bash", "sample-nano"]}""");
        var request = new OstreeRequest
        {
            Treefile = path,
            Arch = "x86_64",
            Repos = SampleRepo(),
            OstreeRepo = P("repo"),
            Version = "1.0.20261127.t.0",
            WorkDir = P("work/ostree-1"),
            LogDir = P("logs/x86_64/Server/ostree-1"),
            Timestamp = 1795824000,
        };
        var result = OstreeComposer.Compose(request);
        Assert.Equal("sample/x86_64/base", result.Ref);
        Assert.Equal(result.CommitId, File.ReadAllText(P("logs/x86_64/Server/ostree-1/commitid.log")));
        Assert.Equal("archive-z2", Interop.Run("ostree", "config", "--repo=" + P("repo"), "get", "core.mode").Trim());
        Assert.Equal(result.CommitId, Interop.Run("ostree", "rev-parse", "--repo=" + P("repo"), "sample/x86_64/base").Trim());
        Assert.Contains("Version: 1.0.20261127.t.0", Interop.Run("ostree", "log", "--repo=" + P("repo"), "sample/x86_64/base"));

        // Expected: rpm's own file lists of the resolved packages (non-directories exactly; directories at least
        // the packaged ones, plus only their parents).
        var rpmFiles = new SortedSet<string>(StringComparer.Ordinal);
        var rpmDirs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in result.Packages)
            foreach (var line in Interop.Run("rpm", "-qp", "--qf", "[%{FILEMODES:perms} %{FILENAMES}\n]", p.Location).Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var (perms, name) = (line[..10], line[11..]);
                (perms[0] == 'd' ? (ISet<string>)rpmDirs : rpmFiles).Add(name);
            }
        var listed = Interop.Run("ostree", "ls", "-R", "--repo=" + P("repo"), "sample/x86_64/base").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ', 5, StringSplitOptions.RemoveEmptyEntries))
            .Select(f => (Type: f[0][0], Path: f[4].Split(" -> ")[0]))
            .ToList();
        Assert.Equal(rpmFiles, new SortedSet<string>(listed.Where(l => l.Type != 'd').Select(l => l.Path), StringComparer.Ordinal));
        var dirs = listed.Where(l => l.Type == 'd' && l.Path != "/").Select(l => l.Path).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(rpmDirs, dirs);
        Assert.All(dirs.Except(rpmDirs), d => Assert.Contains(rpmFiles.Concat(rpmDirs), f => f.StartsWith(d + "/", StringComparison.Ordinal)));
        // Owned by root whatever user ran the build, modes as packaged (sample-bash is 0755).
        Assert.StartsWith("-00755 0 0 ", Interop.Run("ostree", "ls", "--repo=" + P("repo"), "sample/x86_64/base", "/usr/bin/sample-bash"));

        // Same tree again: no new commit (rpm-ostree's unchanged-input rule); ForceNewCommit makes one.
        Assert.Equal(result.CommitId, OstreeComposer.Compose(request).CommitId);
        var forced = OstreeComposer.Compose(new OstreeRequest
        {
            Treefile = path, Arch = "x86_64", Repos = SampleRepo(), OstreeRepo = P("repo"), Version = "1.0.20261127.t.1",
            WorkDir = P("work/ostree-1"), LogDir = P("logs/x86_64/Server/ostree-1"), ForceNewCommit = true, UpdateSummary = true,
        });
        Assert.NotEqual(result.CommitId, forced.CommitId);
        var shown = Interop.Run("ostree", "show", "--repo=" + P("repo"), forced.CommitId);
        Assert.True(shown.Contains("Parent:  " + result.CommitId, StringComparison.Ordinal), shown);
        Assert.True(File.Exists(P("repo/summary")));
    }
}
