using System.Text;
using System.Text.Json;
using Pungi.Build.Comps;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>
/// Our bytes against the real libraries Pungi uses (lxml for <c>comps_filter</c>, libcomps + minidom for the variant
/// rewrite, driven by <c>Oracle/pungi_comps_oracle.py</c>), and the variant comps read by createrepo_c and dnf.
/// </summary>
public class CompsInteropTests
{
    private static readonly string DummyComps = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");

    /// <summary>Collects oracle jobs and runs them in one Python process.</summary>
    private sealed class OracleBatch : IDisposable
    {
        private readonly string _dir = CompsInterop.TempDir();
        private readonly List<List<string>> _jobs = [];
        private int _next;

        public string Unmatched { get; private set; } = "";

        /// <summary>Queues <c>comps_filter</c>; returns the output path.</summary>
        public string Filter(string input, string arch, string? variant, CompsFilterOptions o)
        {
            var output = Path.Combine(_dir, $"f{_next++}.xml");
            var args = new List<string> { "filter", input, output, "--arch", arch };
            if (variant != null) args.AddRange(["--variant", variant]);
            if (o.NoCleanup) args.Add("--no-cleanup");
            if (o.RemoveCategories) args.Add("--remove-categories");
            if (o.RemoveLangpacks) args.Add("--remove-langpacks");
            if (o.RemoveTranslations) args.Add("--remove-translations");
            if (o.RemoveEnvironments) args.Add("--remove-environments");
            if (o.ArchOnlyPackages) args.Add("--arch-only-packages");
            if (o.ArchOnlyGroups) args.Add("--arch-only-groups");
            if (o.ArchOnlyEnvironments) args.Add("--arch-only-environments");
            foreach (var k in o.KeepEmptyGroups) args.AddRange(["--keep-empty-group", k]);
            foreach (var g in o.LookasideGroups) args.AddRange(["--lookaside-group", g]);
            _jobs.Add(args);
            return output;
        }

        /// <summary>Queues the libcomps/minidom variant rewrite of an earlier filter output; returns the output path.</summary>
        public string Variant(string filtered, VariantCompsSpec spec, string arch, bool filterEnvironments)
        {
            var output = Path.Combine(_dir, $"v{_next++}.xml");
            var specFile = output + ".json";
            File.WriteAllText(specFile, JsonSerializer.Serialize(new
            {
                uid = spec.Uid, arch, type = spec.Type, has_modules = spec.HasModules, filter_environments = filterEnvironments,
                groups = spec.Groups.Select(g => new { name = g.Id, glob = g.Glob, @default = g.Default, uservisible = g.UserVisible }),
                environments = spec.Environments.Select(e => new { name = e.Id, display_order = e.DisplayOrder }),
            }));
            _jobs.Add(["variant", filtered, output, specFile]);
            return output;
        }

        public void Run()
        {
            var jobs = Path.Combine(_dir, "jobs.json");
            File.WriteAllText(jobs, JsonSerializer.Serialize(_jobs));
            var (code, stdout, err) = CompsInterop.Run("/usr/bin/python3", [CompsInterop.OracleScript, "batch", jobs]);
            Assert.True(code == 0, err);
            Unmatched = stdout;
        }

        /// <summary>Group names the oracle reported unmatched for one variant output.</summary>
        public List<string> UnmatchedFor(string output)
            => Unmatched.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')).Where(f => f[1] == output).Select(f => f[2]).ToList();

        public void Dispose() => Directory.Delete(_dir, true);
    }

    private static void AssertSameText(byte[] expected, byte[] actual)
        => Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));

    [SkippableFact]
    public void CompsFilter_MatchesLxml_OnFedoraComps_ArchAndVariantFiles()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(FedoraCompsTests.FedoraComps);
        using var oracle = new OracleBatch();
        var cases = new List<(string Expected, byte[] Actual)>();
        foreach (var (arch, variant) in new[] { ("x86_64", "Everything"), ("aarch64", "Server"), ("s390x", "Workstation") })
        {
            cases.Add((oracle.Filter(FedoraCompsTests.FedoraComps, arch, null, CompsFilterOptions.ForArch), CompsInit.BuildArch(doc, arch)));
            var options = CompsFilterOptions.ForVariant(variant, ["core"]);
            cases.Add((oracle.Filter(FedoraCompsTests.FedoraComps, arch, variant, options), CompsFilter.FilterToBytes(doc, arch, variant, options)));
        }
        oracle.Run();
        foreach (var (expected, actual) in cases)
            AssertSameText(File.ReadAllBytes(expected), actual);
    }

    [SkippableFact]
    public void CompsFilter_RemoveAndArchOnlySwitches_MatchLxml()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(DummyComps);
        var all = new[]
        {
            new CompsFilterOptions { RemoveCategories = true, RemoveLangpacks = true, RemoveTranslations = true, RemoveEnvironments = true, ArchOnlyPackages = true, KeepEmptyGroups = ["*"] },
            new CompsFilterOptions { ArchOnlyGroups = true, NoCleanup = true },
            new CompsFilterOptions { ArchOnlyEnvironments = true, LookasideGroups = ["does-not-exist"] },
        };
        using var oracle = new OracleBatch();
        var cases = all.Select(o => (oracle.Filter(DummyComps, "x86_64", "Server", o), CompsFilter.FilterToBytes(doc, "x86_64", "Server", o))).ToList();
        oracle.Run();
        foreach (var (expected, actual) in cases)
            AssertSameText(File.ReadAllBytes(expected), actual);
    }

    [SkippableFact]
    public void VariantComps_MatchLibcompsAndMinidom_ForEveryExampleVariantArch()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(DummyComps);
        using var oracle = new OracleBatch();
        var cases = new List<(string Filtered, byte[] OurFiltered, string Variant, byte[] OurVariant)>();
        foreach (var va in DummyCompsTests.ExampleVariants())
        {
            foreach (var arch in va.Arches)
            {
                var spec = va.Variant;
                var options = CompsFilterOptions.ForVariant(spec.Uid, spec.LookasideGroups ?? []);
                var filtered = oracle.Filter(DummyComps, arch, spec.Uid, options);
                cases.Add((filtered, CompsFilter.FilterToBytes(doc, arch, spec.Uid, options),
                    oracle.Variant(filtered, spec, arch, true), CompsInit.BuildVariant(doc, spec, arch, true, new List<CompsDiagnostic>())));
            }
        }
        oracle.Run();
        foreach (var c in cases)
        {
            AssertSameText(File.ReadAllBytes(c.Filtered), c.OurFiltered);
            AssertSameText(File.ReadAllBytes(c.Variant), c.OurVariant);
        }
    }

    [SkippableFact]
    public void VariantComps_MatchLibcompsAndMinidom_OnFedoraComps_WithGlobsOverridesAndWarnings()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(FedoraCompsTests.FedoraComps);
        var specs = new[]
        {
            new VariantCompsSpec("Everything", "variant", [], []),
            new VariantCompsSpec("Server", "variant", [new("core", Default: true), new("*-tools", Glob: true, UserVisible: false), new("no-such-group")],
                [new("server-product-environment", DisplayOrder: 3), new("minimal-environment")]),
            new VariantCompsSpec("Server-optional", "optional", [], [], LookasideGroups: ["core"]),
        };
        using var oracle = new OracleBatch();
        var cases = new List<(string Output, byte[] Ours, List<string> OurUnmatched)>();
        foreach (var arch in new[] { "x86_64", "s390x" })
        {
            foreach (var spec in specs)
            {
                var filtered = oracle.Filter(FedoraCompsTests.FedoraComps, arch, spec.Uid, CompsFilterOptions.ForVariant(spec.Uid, spec.LookasideGroups ?? []));
                var diags = new List<CompsDiagnostic>();
                var ours = CompsInit.BuildVariant(doc, spec, arch, true, diags);
                cases.Add((oracle.Variant(filtered, spec, arch, true), ours,
                    diags.Where(d => d.Code == Pungi.Build.Diagnostics.ErrorCodes.CompsUnmatchedVariantGroup).Select(d => d.Message.Split(' ')[5]).ToList()));
            }
        }
        oracle.Run();
        foreach (var c in cases)
        {
            AssertSameText(File.ReadAllBytes(c.Output), c.Ours);
            Assert.Equal(oracle.UnmatchedFor(c.Output), c.OurUnmatched);
        }
        Assert.Contains("no-such-group", oracle.Unmatched);
    }

    [SkippableFact]
    public void VariantComps_AreReadByCreaterepoAndDnfGroupList()
    {
        var createrepo = CompsInterop.FindTool("createrepo_c");
        var dnf = CompsInterop.FindTool("dnf");
        CompsInterop.SkipUnless(createrepo != null && dnf != null, "createrepo_c and dnf are needed (apt-get install createrepo-c dnf)");
        var dir = CompsInterop.TempDir();
        var work = Path.Combine(dir, "work");
        var spec = new VariantCompsSpec("Server", "variant", [new("core"), new("standard"), new("domain-client")], [new("server-product-environment")]);
        var file = CompsInit.WriteVariant(CompsDocument.Load(FedoraCompsTests.FedoraComps), work, spec, "x86_64", true, new List<CompsDiagnostic>());
        var repo = CompsPaths.VariantRepo(work, "Server", "x86_64");
        Directory.CreateDirectory(repo);
        var (code, _, err) = CompsInterop.Run(createrepo!, [repo, "--outputdir=" + repo, "--groupfile=" + file.Path, "--no-database", "--unique-md-filenames"]);
        Assert.True(code == 0, err);
        var config = Path.Combine(dir, "dnf.conf");
        File.WriteAllText(config, "[main]\ngpgcheck=0\n");
        (code, var stdout, err) = CompsInterop.Run(dnf!, ["-q", "--config=" + config, "--setopt=reposdir=/dev/null", "--installroot=" + Path.Combine(dir, "root"),
            "--releasever=1", "--repofrompath=comps," + repo, "--repo=comps", "group", "list", "--hidden", "-v"]);
        Assert.True(code == 0, err + stdout);
        Assert.Contains("Core", stdout);
        Assert.Contains("Standard", stdout);
        Assert.Contains("Domain Membership", stdout);
        Assert.Contains("Fedora Server Edition", stdout);
        Directory.Delete(dir, true);
    }
}
