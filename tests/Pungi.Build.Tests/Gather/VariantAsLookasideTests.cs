using Pungi.Build.Compose;
using Pungi.Build.Tests.Pkgset;
using Pungi.Build.Gather;
using Pungi.Build.Repodata;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// <c>variant_as_lookaside</c> (spec §3.9, upstream <c>_make_lookaside_repo</c> / <c>_update_lookaside_config</c>):
/// before AppStream is gathered on an arch, BaseOS's gathered packages of that arch (and its SRPMs) become a lookaside
/// repository <c>work/&lt;arch&gt;/BaseOS/lookaside_repo</c>; what AppStream needs from them is flagged lookaside and not
/// shipped in AppStream. Over the 432 pungi-dummy packages: BaseOS asks for dummy-bash (which pulls glibc, filesystem,
/// basesystem), AppStream for dummy-vacation (which needs an smtpdaemon, dummy-postfix, and glibc too).
/// </summary>
public class VariantAsLookasideTests
{
    private static readonly Lazy<List<PackageSetPackage>> Dummy = FixtureRepo.DummyPackageSet;

    private static (GatherPhaseResult Result, ComposeLayout Layout) Run(TempDir tmp, IReadOnlyList<(string, string)> pairs, int parallelism = 2)
    {
        // AppStream is listed first: the lookaside order, not the file order, must put BaseOS before it.
        var variants = Path.Combine(tmp.Path, "variants.xml");
        File.WriteAllText(variants, """
            <?xml version="1.0"?>
            <variants>
              <variant id="AppStream" name="AppStream" type="variant"><arches><arch>x86_64</arch></arches></variant>
              <variant id="BaseOS" name="BaseOS" type="variant"><arches><arch>x86_64</arch></arches></variant>
            </variants>
            """);
        var layout = new ComposeLayout(tmp.Sub("compose"));
        var result = GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = layout,
            Variants = VariantsXml.Load(variants),
            PackageSet = _ => Dummy.Value,
            Comps = (_, _) => null,
            VariantAsLookaside = pairs,
            MaxParallelism = parallelism,
            AdditionalPackages =
            [
                new VariantArchValue<string>("^BaseOS$", "*", "dummy-bash"),
                new VariantArchValue<string>("^AppStream$", "*", "dummy-vacation"),
            ],
            CheckDeps = false,
        });
        return (result, layout);
    }

    private static List<string> Shipped(GatherPhaseResult r, string uid)
        => r.Maps["x86_64"][uid].Rpm.Where(e => !e.HasFlag("lookaside")).Select(e => Path.GetFileName(e.Path)).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public void The_lookaside_variants_packages_are_not_shipped_again()
    {
        using var tmp = new TempDir();
        var (without, _) = Run(tmp, []);
        Assert.Contains("dummy-glibc-2.14-5.x86_64.rpm", Shipped(without, "AppStream"));

        using var tmp2 = new TempDir();
        var (with, layout) = Run(tmp2, [("AppStream", "BaseOS")]);
        var appstream = Shipped(with, "AppStream");
        Assert.Contains("dummy-vacation-1.2.7.1-1.x86_64.rpm", appstream);
        Assert.Contains("dummy-postfix-2.9.2-2.x86_64.rpm", appstream);
        foreach (var fromBase in new[] { "dummy-glibc-2.14-5.x86_64.rpm", "dummy-filesystem-4.2.37-6.x86_64.rpm", "dummy-basesystem-10.0-6.noarch.rpm" })
            Assert.DoesNotContain(fromBase, appstream);
        // The package list (what linking, repodata and rpms.json read) holds only what AppStream ships: link_files
        // never links an entry flagged lookaside.
        var model = VariantsXml.Load(Path.Combine(tmp2.Path, "variants.xml"));
        var list = File.ReadAllLines(layout.PackageList("x86_64", model.Find("AppStream")!, "rpm")).Select(l => Path.GetFileName(l)).ToList();
        Assert.Equal(appstream, list.Order(StringComparer.Ordinal).ToList());
        Assert.Contains(with.Maps["x86_64"]["AppStream"].Rpm, e => e.HasFlag("lookaside") && e.Path.EndsWith("dummy-glibc-2.14-5.x86_64.rpm", StringComparison.Ordinal));
        // BaseOS itself is untouched by being someone's lookaside.
        Assert.Equal(Shipped(without, "BaseOS"), Shipped(with, "BaseOS"));

        // The repository upstream makes, readable as repodata, holding BaseOS's packages (binaries and SRPMs).
        var baseos = VariantsXml.Load(Path.Combine(tmp2.Path, "variants.xml")).Find("BaseOS")!;
        var repo = RepodataReader.Read(layout.LookasideRepo("x86_64", baseos)).Select(p => p.FileName).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("dummy-bash-4.2.37-6.x86_64.rpm", repo);
        Assert.Contains("dummy-glibc-2.14-5.src.rpm", repo);
        Assert.True(File.Exists(layout.PackageList("x86_64", baseos, "lookaside")));
    }

    /// <summary>The lookaside variant is gathered first (get_ordered_variant_uids); solving at once or one by one agree.</summary>
    [Fact]
    public void Order_and_parallel_solving_give_the_same_answer()
    {
        using var a = new TempDir();
        using var b = new TempDir();
        var (parallel, _) = Run(a, [("AppStream", "BaseOS")], parallelism: 4);
        var (serial, _) = Run(b, [("AppStream", "BaseOS")], parallelism: 1);
        Assert.Equal(Shipped(serial, "AppStream"), Shipped(parallel, "AppStream"));
        Assert.Equal(serial.Warnings, parallel.Warnings);
    }
    /// <summary>
    /// gather_lookaside_repos: what the variant takes from a configured lookaside repository is flagged lookaside and
    /// never linked, so it stays out of the package list (it used to be listed, and linking failed on its href).
    /// </summary>
    [Fact]
    public void Packages_from_a_configured_lookaside_repo_are_not_listed()
    {
        using var tmp = new TempDir();
        var variants = Path.Combine(tmp.Path, "variants.xml");
        File.WriteAllText(variants, """
            <?xml version="1.0"?>
            <variants><variant id="Server" name="Server" type="variant"><arches><arch>x86_64</arch></arches></variant></variants>
            """);
        var lookaside = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos", "repo-krb5-lookaside");
        var layout = new ComposeLayout(tmp.Sub("compose"));
        var model = VariantsXml.Load(variants);
        var result = GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = layout,
            Variants = model,
            PackageSet = _ => Dummy.Value,
            Comps = (_, _) => null,
            LookasideRepo = path => RepodataReader.Read(path).ToList(),
            LookasideRepos = [new VariantArchValue<string>("^Server$", "*", lookaside)],
            // upstream's test_firefox_selfhosting_with_krb5_lookaside: the build dependency dummy-krb5-devel comes from the lookaside.
            AdditionalPackages = [new VariantArchValue<string>("^Server$", "*", "Dummy-firefox")],
            Selfhosting = true,
            CheckDeps = false,
        });
        var flagged = result.Maps["x86_64"]["Server"].Rpm.Where(e => e.HasFlag("lookaside")).ToList();
        Assert.NotEmpty(flagged);
        var list = File.ReadAllLines(layout.PackageList("x86_64", model.Find("Server")!, "rpm"));
        Assert.Contains(list, l => Path.GetFileName(l).StartsWith("Dummy-firefox-", StringComparison.Ordinal));
        Assert.Contains(flagged, e => e.Path.EndsWith("dummy-krb5-devel-1.10-5.x86_64.rpm", StringComparison.Ordinal));
        foreach (var e in flagged) Assert.DoesNotContain(e.Path, list);
        Assert.All(list, l => Assert.True(Path.IsPathRooted(l), l));
    }
}
