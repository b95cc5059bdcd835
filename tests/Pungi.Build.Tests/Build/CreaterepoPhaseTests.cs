using System.Diagnostics;
using Pungi.Build.Diagnostics;
using Pungi.Build.Repodata;
using Pungi.Build.Tasks;
using Xunit;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// The sample product composed twice, once per Createrepo backend (spec §2.6, issue 7): the native writer and
/// upstream's <c>createrepo_c</c> command line. Three spawned builds in all, shared by the tests of the class.
/// </summary>
public sealed class CreaterepoBackendsFixture : IDisposable
{
    private readonly Lazy<(ComposeProject P, BuildRun First, BuildRun Second)> _c;

    public CreaterepoBackendsFixture()
    {
        NativeProject = SampleCompose.Create();
        NativeRun = NativeProject.Build();
        _c = new(() =>
        {
            var p = SampleCompose.Create();
            return (p, p.Build("-p:CreaterepoBackend=createrepo_c"), p.Build("-p:CreaterepoBackend=createrepo_c"));
        });
    }

    internal ComposeProject NativeProject { get; }
    internal BuildRun NativeRun { get; }
    internal string NativeCompose => Path.Combine(SampleCompose.TopDir(NativeProject), "compose");

    /// <summary>The createrepo_c compose, built on first use (after the test made sure the tool exists).</summary>
    internal (ComposeProject P, BuildRun First, BuildRun Second) C => _c.Value;
    internal string CTopDir => SampleCompose.TopDir(C.P);

    public void Dispose()
    {
        NativeProject.Dispose();
        if (_c.IsValueCreated) _c.Value.P.Dispose();
    }
}

[Collection("spawned builds")]
public sealed class CreaterepoPhaseTests(CreaterepoBackendsFixture f) : IClassFixture<CreaterepoBackendsFixture>
{
    private static readonly string[] Phases = ["Init", "Pkgset", "Gather", "LinkPackages", "Createrepo"];

    // ---- the createrepo_c backend in a compose ----

    /// <summary>
    /// §2.6 per unit: package list relative to the repo dir and sorted, in work/&lt;arch&gt;/repo_package_list/&lt;V&gt;.&lt;arch&gt;.&lt;type&gt;.conf
    /// (global/None for srpm); upstream's command line; log createrepo-&lt;V&gt;.&lt;type&gt; under the unit's arch.
    /// </summary>
    [SkippableFact]
    public void CreaterepoCBackend_RunsUpstreamCommand_WithSortedRelativePackageList_AndLog()
    {
        CreaterepoInterop.RequireTool("createrepo_c");
        var (_, first, _) = f.C;
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.Equal(8, first.Ran("Createrepo").Count);
        var top = f.CTopDir;
        var repo = Path.Combine(top, "compose", "Server", "x86_64", "os");

        // Expected list worked out from the tree itself: every RPM under Packages/, relative, ordinal order.
        var expected = Directory.EnumerateFiles(Path.Combine(repo, "Packages"), "*.rpm", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(repo, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
        var listFile = Path.Combine(top, "work", "x86_64", "repo_package_list", "Server.x86_64.rpm.conf");
        Assert.Equal(expected, File.ReadAllLines(listFile));
        Assert.All(expected, l => Assert.StartsWith("Packages/", l));
        Assert.True(File.Exists(Path.Combine(top, "work", "global", "repo_package_list", "Workstation.None.srpm.conf")));

        var log = File.ReadAllLines(Path.Combine(top, "logs", "x86_64", "createrepo-Server.rpm.x86_64.log"));
        Assert.Equal(
            $"$ createrepo_c {repo} --outputdir={repo} --pkglist={listFile} --groupfile={Path.Combine(top, "work", "x86_64", "comps", "comps-Server.x86_64.xml")}"
            + " --update --skip-stat --no-database --checksum=sha256 --unique-md-filenames --workers=3", log[0]);
        Assert.Equal("exit code 0", log[^1]);
        // srpm unit: no --groupfile, log under global.
        var srpmLog = File.ReadAllLines(Path.Combine(top, "logs", "global", "createrepo-Workstation.srpm.global.log"));
        Assert.DoesNotContain("--groupfile", srpmLog[0]);
        // The repodata is createrepo_c's (unique md filenames), with the comps as group file.
        var repomd = RepodataReader.ReadRepomd(repo);
        Assert.Equal(expected.Count, RepodataReader.Read(repo).Count());
        Assert.NotNull(repomd.Find("group"));
        Assert.Matches("^repodata/[0-9a-f]{64}-primary\\.xml\\.gz$", repomd.Find("primary")!.Location);
    }

    /// <summary>The stamp-file incrementality holds for the external tool too: a second identical build reruns no phase.</summary>
    [SkippableFact]
    public void CreaterepoCBackend_NoOpRebuild_RunsNothing()
    {
        CreaterepoInterop.RequireTool("createrepo_c");
        var (_, first, second) = f.C;
        Assert.True(first.ExitCode == 0, first.Describe());
        Assert.True(second.ExitCode == 0, second.Describe());
        var ran = second.Ran(Phases);
        Assert.True(ran.Count == 0, "a no-op rebuild ran: " + string.Join(", ", ran.Select(r => r.Instance)));
        Assert.Equal(8, second.Targets("Createrepo").Count);
    }

    /// <summary>Issue 7: dnf repoquery with every field answers the same on the native and the createrepo_c repodata.</summary>
    [SkippableTheory]
    [InlineData("Server/x86_64/os")]
    [InlineData("Workstation/source/tree")]
    public void NativeAndCreaterepoC_GiveTheSameRepoqueryAnswers(string tree)
    {
        CreaterepoInterop.RequireTool("createrepo_c");
        CreaterepoInterop.RequireTool("dnf");
        Assert.True(f.NativeRun.ExitCode == 0, f.NativeRun.Describe());
        Assert.True(f.C.First.ExitCode == 0, f.C.First.Describe());
        var native = CreaterepoInterop.Repoquery(Path.Combine(f.NativeCompose, tree));
        var c = CreaterepoInterop.Repoquery(Path.Combine(f.CTopDir, "compose", tree));
        Assert.Contains("sample-bash|", native);
        Assert.Equal(c, native);
    }

    // ---- upstream tools reading the native repodata ----

    /// <summary>
    /// createrepo_c --update --skip-stat (the createrepo_c backend's own arguments) takes our repodata as the old metadata:
    /// it reports every package as loaded, and the result answers dnf exactly as ours did.
    /// </summary>
    [SkippableFact]
    public void CreaterepoCUpdate_LoadsOurRepodata()
    {
        CreaterepoInterop.RequireTool("createrepo_c");
        CreaterepoInterop.RequireTool("dnf");
        Assert.True(f.NativeRun.ExitCode == 0, f.NativeRun.Describe());
        var ours = Path.Combine(f.NativeCompose, "Server", "x86_64", "os");
        var before = CreaterepoInterop.Repoquery(ours);
        int count = RepodataReader.Read(ours).Count();
        var copy = CreaterepoInterop.HardlinkCopy(ours, Path.Combine(f.NativeProject.Dir, "update-copy"));
        var list = Path.Combine(f.NativeProject.Dir, "update-copy.conf");
        File.WriteAllLines(list, RepodataReader.Read(copy).Select(p => p.Location).Order(StringComparer.Ordinal));
        var log = Path.Combine(f.NativeProject.Dir, "update-copy.log");
        CreaterepoCTool.Run(new CreaterepoCRequest { RepoDir = copy, PackageListFile = list }, log, default);
        Assert.Contains($"Loaded information about {count} packages", File.ReadAllText(log));
        Assert.Equal(before, CreaterepoInterop.Repoquery(copy));
    }

    /// <summary>mergerepo_c --all over two of our repos keeps every package of both.</summary>
    [SkippableFact]
    public void MergerepoC_MergesOurRepos()
    {
        CreaterepoInterop.RequireTool("mergerepo_c");
        Assert.True(f.NativeRun.ExitCode == 0, f.NativeRun.Describe());
        var a = Path.Combine(f.NativeCompose, "Server", "x86_64", "os");
        var b = Path.Combine(f.NativeCompose, "Server-optional", "x86_64", "os");
        var merged = Path.Combine(f.NativeProject.Dir, "merged");
        CreaterepoInterop.Run("mergerepo_c", "--all", "--no-database", "--repo", a, "--repo", b, "--outputdir", merged);
        var expected = RepodataReader.Read(a).Concat(RepodataReader.Read(b)).Select(p => p.Nevra + " " + p.Checksum).Distinct().Order().ToList();
        var actual = RepodataReader.Read(merged).Select(p => p.Nevra + " " + p.Checksum).Order().ToList();
        Assert.True(expected.Count > 20);
        Assert.Equal(expected, actual);
    }

    /// <summary>dnf install --downloadonly resolves and fetches a package (with its dependencies) from our Server repo.</summary>
    [SkippableFact]
    public void DnfInstallDownloadOnly_FromOurServerRepo()
    {
        CreaterepoInterop.RequireTool("dnf");
        Assert.True(f.NativeRun.ExitCode == 0, f.NativeRun.Describe());
        var repo = Path.Combine(f.NativeCompose, "Server", "x86_64", "os");
        var dest = Path.Combine(f.NativeProject.Dir, "download");
        var root = CreaterepoInterop.DnfRoot(f.NativeProject.Dir);
        CreaterepoInterop.Run("dnf", "-y", "-q", "--config", Path.Combine(root, "dnf.conf"), "--setopt=reposdir=/dev/null", "--installroot", root,
            "--releasever=1", "--forcearch=x86_64", "--repofrompath", "t," + repo, "--repo=t",
            "install", "--downloadonly", "--destdir", dest, "sample-bash");
        var got = Path.Combine(dest, "sample-bash-5.2.15-5.x86_64.rpm");
        Assert.True(File.Exists(got), "downloaded: " + string.Join(", ", Directory.Exists(dest) ? Directory.GetFiles(dest).Select(Path.GetFileName) : []));
        Assert.Equal(File.ReadAllBytes(Path.Combine(repo, "Packages", "sample-bash-5.2.15-5.x86_64.rpm")), File.ReadAllBytes(got));
    }

}

/// <summary>The createrepo_c runner and the backend options, without a build.</summary>
public sealed class CreaterepoCToolTests
{

    /// <summary>§2.6 argument order for an rpm unit with comps, and the optional parts.</summary>
    [Fact]
    public void Arguments_FollowUpstreamOrder()
    {
        var r = new CreaterepoCRequest { RepoDir = "/c/Server/x86_64/os", PackageListFile = "/w/l.conf", GroupFile = "/w/comps.xml" };
        Assert.Equal(
            ["/c/Server/x86_64/os", "--outputdir=/c/Server/x86_64/os", "--pkglist=/w/l.conf", "--groupfile=/w/comps.xml", "--update", "--skip-stat",
             "--no-database", "--checksum=sha256", "--unique-md-filenames", "--workers=3"],
            CreaterepoCTool.Arguments(r));
        var s = CreaterepoCTool.Arguments(r with { GroupFile = null, Database = true, Checksum = "sha512", Workers = 7, Compression = "xz" });
        Assert.DoesNotContain(s, a => a.StartsWith("--groupfile", StringComparison.Ordinal));
        Assert.Equal(["--database", "--checksum=sha512", "--unique-md-filenames", "--workers=7", "--xz"], s.Skip(5));
    }

    /// <summary>Default backend is native, createrepo_num_workers defaults to 3 upstream; anything else is a coded error.</summary>
    [Fact]
    public void Backend_DefaultsAndBadValues()
    {
        Assert.Equal((false, 3), Createrepo.ParseBackend(null, null));
        Assert.Equal((true, 5), Createrepo.ParseBackend("createrepo_c", "5"));
        Assert.Equal(ErrorCodes.CreaterepoBadBackend, Assert.Throws<PungiException>(() => Createrepo.ParseBackend("createrepo", null)).Code);
        Assert.Equal(ErrorCodes.CreaterepoBadBackend, Assert.Throws<PungiException>(() => Createrepo.ParseBackend("native", "0")).Code);
    }

    /// <summary>
    /// A killed run leaves createrepo_c's .repodata/ work directory behind, and createrepo_c then refuses the repo; the
    /// backend's unit run clears it first.
    /// </summary>
    [SkippableFact]
    public void LeftoverTemporaryRepodata_FromAKilledRun_IsCleared()
    {
        CreaterepoInterop.RequireTool("createrepo_c");
        var dir = Path.Combine(Path.GetTempPath(), "pungi-crc-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var repo = Path.Combine(dir, "os");
            var rpm = Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product", "rpms", "x86_64"), "*.rpm").Order().First();
            Directory.CreateDirectory(Path.Combine(repo, "Packages"));
            File.Copy(rpm, Path.Combine(repo, "Packages", Path.GetFileName(rpm)));
            var list = Path.Combine(dir, "list.conf");
            File.WriteAllText(list, "Packages/" + Path.GetFileName(rpm) + "\n");
            var request = new CreaterepoCRequest { RepoDir = repo, PackageListFile = list, Workers = 1 };
            Directory.CreateDirectory(CreaterepoCTool.TemporaryRepodata(repo));
            // The failure mode is real: the bare tool refuses the directory ...
            var e = Assert.Throws<PungiException>(() => CreaterepoCTool.Run(CreaterepoCTool.Arguments(request), Path.Combine(dir, "bare.log"), default));
            Assert.Equal(ErrorCodes.CreaterepoCFailed, e.Code);
            // ... and the unit run succeeds.
            CreaterepoCTool.Run(request, Path.Combine(dir, "unit.log"), default);
            Assert.Single(RepodataReader.Read(repo));
            Assert.False(Directory.Exists(CreaterepoCTool.TemporaryRepodata(repo)));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void MissingTool_IsACodedError()
    {
        var log = Path.Combine(Path.GetTempPath(), "pungi-crc-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        try
        {
            var e = Assert.Throws<PungiException>(() => CreaterepoCTool.Run(["/nowhere"], log, default, "createrepo_c-not-installed"));
            Assert.Equal(ErrorCodes.CreaterepoCNotFound, e.Code);
            Assert.Contains("createrepo_c-not-installed", e.Message);
        }
        finally { File.Delete(log); }
    }

    [Fact]
    public void NonZeroExit_IsACodedErrorNamingTheLog()
    {
        var log = Path.Combine(Path.GetTempPath(), "pungi-crc-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        try
        {
            var e = Assert.Throws<PungiException>(() => CreaterepoCTool.Run(["-c", "echo broken repo >&2; exit 3"], log, default, "sh"));
            Assert.Equal(ErrorCodes.CreaterepoCFailed, e.Code);
            Assert.Contains(log, e.Message);
            Assert.Contains("exit code 3", e.Message);
            Assert.Contains("broken repo", File.ReadAllText(log));
        }
        finally { File.Delete(log); }
    }

    /// <summary>Ctrl+C (ICancelableTask.Cancel) kills the running tool instead of waiting for it.</summary>
    [Fact]
    public void Cancellation_KillsTheTool()
    {
        var log = Path.Combine(Path.GetTempPath(), "pungi-crc-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var watch = Stopwatch.StartNew();
            Assert.ThrowsAny<OperationCanceledException>(() => CreaterepoCTool.Run(["30"], log, cts.Token, "sleep"));
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        }
        finally { File.Delete(log); }
    }
}

/// <summary>Real-tool helpers for the Createrepo build tests.</summary>
internal static class CreaterepoInterop
{
    public static void RequireTool(string tool) => Interop.RequireTool(tool);

    public static string Run(string file, params string[] args) => Interop.Run(file, args);

    /// <summary>A fresh dnf installroot with a config that turns off Debian's gpgcheck=True.</summary>
    public static string DnfRoot(string under)
    {
        var root = Path.Combine(under, "dnfroot-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, "dnf.conf"), "[main]\ngpgcheck=0\n");
        return root;
    }

    /// <summary>Every field issue 7 lists: the --qf fields, then the changelogs (dnf 4 has no --qf tag for them).</summary>
    public static string Repoquery(string repo)
    {
        const string qf = "%{name}|%{epoch}|%{version}|%{release}|%{arch}|%{summary}|%{description}|%{url}|%{license}|%{buildtime}|%{size}"
            + "|%{sourcerpm}|%{requires}|%{provides}|%{conflicts}|%{obsoletes}|%{recommends}|%{suggests}|%{supplements}|%{enhances}|%{files}";
        string Query(params string[] what)
        {
            var root = DnfRoot(Path.GetTempPath());
            try
            {
                return Run("dnf", ["-q", "--config", Path.Combine(root, "dnf.conf"), "--setopt=reposdir=/dev/null", "--installroot", root,
                    "--releasever=1", "--forcearch=x86_64", "--repofrompath", "t," + repo, "--repo=t", "repoquery", .. what]);
            }
            finally { Directory.Delete(root, recursive: true); }
        }
        return Query("--qf", qf) + "\n--- changelogs ---\n" + Query("--changelogs");
    }

    /// <summary>Copies a repo tree: RPMs hard-linked (no bytes copied), everything else copied.</summary>
    public static string HardlinkCopy(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (file.EndsWith(".rpm", StringComparison.Ordinal))
                Run("ln", file, target);
            else
                File.Copy(file, target);
        }
        return to;
    }
}
