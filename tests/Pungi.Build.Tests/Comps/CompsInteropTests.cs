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

    private static byte[] OracleFilter(string input, string arch, string? variant, CompsFilterOptions o)
    {
        var dir = CompsInterop.TempDir();
        var output = Path.Combine(dir, "out.xml");
        var args = new List<string> { CompsInterop.OracleScript, "filter", input, output, "--arch", arch };
        if (variant != null) args.AddRange(["--variant", variant]);
        if (o.NoCleanup) args.Add("--no-cleanup");
        if (o.RemoveCategories) args.Add("--remove-categories");
        if (o.RemoveLangpacks) args.Add("--remove-langpacks");
        if (o.RemoveTranslations) args.Add("--remove-translations");
        if (o.RemoveEnvironments) args.Add("--remove-environments");
        if (o.ArchOnlyPackages) args.Add("--arch-only-packages");
        foreach (var k in o.KeepEmptyGroups) args.AddRange(["--keep-empty-group", k]);
        foreach (var g in o.LookasideGroups) args.AddRange(["--lookaside-group", g]);
        var (code, _, err) = CompsInterop.Run("/usr/bin/python3", args);
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(output);
        Directory.Delete(dir, true);
        return bytes;
    }

    private static (byte[] Bytes, string Stdout) OracleVariant(byte[] filtered, VariantCompsSpec spec, string arch, bool filterEnvironments)
    {
        var dir = CompsInterop.TempDir();
        File.WriteAllBytes(Path.Combine(dir, "in.xml"), filtered);
        var json = JsonSerializer.Serialize(new
        {
            uid = spec.Uid, arch, type = spec.Type, has_modules = spec.HasModules, filter_environments = filterEnvironments,
            groups = spec.Groups.Select(g => new { name = g.Id, glob = g.Glob, @default = g.Default, uservisible = g.UserVisible }),
            environments = spec.Environments.Select(e => new { name = e.Id, display_order = e.DisplayOrder }),
        });
        File.WriteAllText(Path.Combine(dir, "spec.json"), json);
        var (code, stdout, err) = CompsInterop.Run("/usr/bin/python3", [CompsInterop.OracleScript, "variant", Path.Combine(dir, "in.xml"), Path.Combine(dir, "out.xml"), Path.Combine(dir, "spec.json")]);
        Assert.True(code == 0, err);
        var bytes = File.ReadAllBytes(Path.Combine(dir, "out.xml"));
        Directory.Delete(dir, true);
        return (bytes, stdout);
    }

    private static void AssertSameText(byte[] expected, byte[] actual)
        => Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(actual));

    public static TheoryData<string, string> FedoraArches => new() { { "x86_64", "Everything" }, { "aarch64", "Server" }, { "s390x", "Workstation" } };

    [SkippableTheory]
    [MemberData(nameof(FedoraArches))]
    public void CompsFilter_ArchFile_MatchesLxml_OnFedoraComps(string arch, string variant)
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(FedoraCompsTests.FedoraComps);
        AssertSameText(OracleFilter(FedoraCompsTests.FedoraComps, arch, null, CompsFilterOptions.ForArch), CompsInit.BuildArch(doc, arch));
        var variantOptions = CompsFilterOptions.ForVariant(variant, ["core"]);
        AssertSameText(OracleFilter(FedoraCompsTests.FedoraComps, arch, variant, variantOptions), CompsFilter.FilterToBytes(doc, arch, variant, variantOptions));
    }

    [SkippableFact]
    public void CompsFilter_RemoveSwitches_MatchLxml()
    {
        CompsInterop.RequireOracle();
        var options = new CompsFilterOptions { RemoveCategories = true, RemoveLangpacks = true, RemoveTranslations = true, RemoveEnvironments = true, ArchOnlyPackages = true, KeepEmptyGroups = ["*"] };
        AssertSameText(OracleFilter(DummyComps, "x86_64", "Server", options), CompsFilter.FilterToBytes(CompsDocument.Load(DummyComps), "x86_64", "Server", options));
    }

    [SkippableFact]
    public void VariantComps_MatchLibcompsAndMinidom_ForEveryExampleVariantArch()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(DummyComps);
        foreach (var va in DummyCompsTests.ExampleVariants())
        {
            foreach (var arch in va.Arches)
            {
                var spec = va.Variant;
                var options = CompsFilterOptions.ForVariant(spec.Uid, spec.LookasideGroups ?? []);
                var filtered = OracleFilter(DummyComps, arch, spec.Uid, options);
                AssertSameText(filtered, CompsFilter.FilterToBytes(doc, arch, spec.Uid, options));
                var (expected, _) = OracleVariant(filtered, spec, arch, true);
                AssertSameText(expected, CompsInit.BuildVariant(doc, spec, arch, true, new List<CompsDiagnostic>()));
            }
        }
    }

    [SkippableFact]
    public void VariantComps_MatchLibcompsAndMinidom_OnFedoraComps_WithGlobsAndOverrides()
    {
        CompsInterop.RequireOracle();
        var doc = CompsDocument.Load(FedoraCompsTests.FedoraComps);
        var specs = new[]
        {
            new VariantCompsSpec("Everything", "variant", [], []),
            new VariantCompsSpec("Server", "variant", [new("core", Default: true), new("*-tools", Glob: true, UserVisible: false), new("no-such-group")],
                [new("server-product-environment", DisplayOrder: 3), new("minimal-environment")]),
        };
        foreach (var arch in new[] { "x86_64", "s390x" })
        {
            foreach (var spec in specs)
            {
                var options = CompsFilterOptions.ForVariant(spec.Uid, []);
                var filtered = OracleFilter(FedoraCompsTests.FedoraComps, arch, spec.Uid, options);
                var (expected, stdout) = OracleVariant(filtered, spec, arch, true);
                var diags = new List<CompsDiagnostic>();
                AssertSameText(expected, CompsInit.BuildVariant(doc, spec, arch, true, diags));
                var oracleUnmatched = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l["UNMATCHED ".Length..]).ToList();
                Assert.Equal(oracleUnmatched, diags.Where(d => d.Code == Pungi.Build.Diagnostics.ErrorCodes.CompsUnmatchedVariantGroup).Select(d => d.Message.Split(' ')[5]));
            }
        }
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
