using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using Pungi.Build.Repodata;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Gather;

/// <summary>
/// Spec §3.2: the <c>json</c> gather source (upstream <c>GatherSourceJson</c> over <c>gather_source_mapping</c>) and
/// <c>gather_prepopulate</c> (<c>get_prepopulate_packages</c> over <c>work/global/prepopulate.json</c>), pinned on the
/// GatherPhase over the 432 pungi-dummy packages (their repodata) with a one-variant variants.xml.
/// </summary>
public class GatherJsonAndPrepopulateTests
{
    private static readonly Lazy<List<PackageSetPackage>> Dummy = FixtureRepo.DummyPackageSet;

    private const string Mapping = """
        {
          "Server": {"x86_64": {"dummy-lvm2": [null], "dummy-tftp": ["x86_64"]}, "s390x": {"dummy-bash": [null]}},
          "Client": {"x86_64": {"dummy-bash": ["x86_64", "i686"]}}
        }
        """;

    private static GatherPhaseResult Run(string source, string? mapping = null, string? prepopulate = null,
        IReadOnlyList<VariantArchValue<string>>? additional = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-gather-json-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var variants = Path.Combine(dir, "variants.xml");
        File.WriteAllText(variants, """
            <?xml version="1.0"?>
            <variants>
              <variant id="Server" name="Server" type="variant"><arches><arch>x86_64</arch></arches></variant>
              <variant id="Other" name="Other" type="variant"><arches><arch>x86_64</arch></arches></variant>
            </variants>
            """);
        return GatherPhase.Run(new GatherPhaseRequest
        {
            Layout = new ComposeLayout(dir),
            Variants = VariantsXml.Load(variants),
            PackageSet = _ => Dummy.Value,
            Comps = (_, _) => null,
            Source = source,
            SourceMappingJson = mapping,
            PrepopulateJson = prepopulate,
            AdditionalPackages = additional ?? [],
            CheckDeps = false,
        });
    }

    private static List<string> Names(PackageMap map) => map.Rpm.Select(e => Path.GetFileName(e.Path)).Order(StringComparer.Ordinal).ToList();

    /// <summary>GatherSourceJson: mapping[variant.uid][arch] gives (name, arch|None) pairs; None asks for the name on any arch.</summary>
    [Fact]
    public void Json_source_reads_the_variants_arch_entries_and_null_arch_means_any()
    {
        Assert.Equal(new HashSet<(string, string?)> { ("dummy-lvm2", null), ("dummy-tftp", "x86_64") },
            GatherSources.JsonSourcePackages(Mapping, "Server", "x86_64"));
        Assert.Empty(GatherSources.JsonSourcePackages(Mapping, "Server", "ppc64"));
        Assert.Empty(GatherSources.JsonSourcePackages(Mapping, "Nope", "x86_64"));
    }

    /// <summary>GatherSourceJson with variant None (the pkgset's whole-arch question): the union over all variants.</summary>
    [Fact]
    public void Json_source_without_variant_is_the_union_of_all_variants()
        => Assert.Equal(new HashSet<(string, string?)> { ("dummy-lvm2", null), ("dummy-tftp", "x86_64"), ("dummy-bash", "x86_64"), ("dummy-bash", "i686") },
            GatherSources.JsonSourcePackages(Mapping, null, "x86_64"));

    /// <summary>
    /// gather_source=json through the phase: the mapped packages and their deps (dummy-lvm2 requires dummy-lvm2-libs and
    /// dummy-glibc); not augmented (only the comps source takes additional_packages, §3.2); a (name, arch) pair reaches
    /// the depsolver as the kickstart line <c>name.arch</c>, which the DNF backend takes as a literal name glob (§3.4
    /// step A note, Appendix B), so dummy-tftp.x86_64 matches nothing and is logged; a variant the mapping does not
    /// name gives no input, which gather_packages skips (an empty package map, not an error).
    /// </summary>
    [Fact]
    public void Json_source_gathers_mapped_packages_with_deps_and_skips_unmapped_variants()
    {
        var result = Run("json", Mapping, additional: [new VariantArchValue<string>("^Server$", "*", "dummy-bash")]);
        var server = Names(result.Maps["x86_64"]["Server"]);
        Assert.Contains("dummy-lvm2-2.02.84-4.x86_64.rpm", server);
        Assert.Contains(server, n => n.StartsWith("dummy-lvm2-libs-", StringComparison.Ordinal));
        Assert.Contains(server, n => n.StartsWith("dummy-glibc-", StringComparison.Ordinal));
        Assert.DoesNotContain(server, n => n.StartsWith("dummy-tftp-", StringComparison.Ordinal));
        Assert.Contains("Server.x86_64: No package matches pattern dummy-tftp.x86_64", result.Warnings);
        Assert.DoesNotContain(server, n => n.StartsWith("dummy-bash-", StringComparison.Ordinal));
        Assert.Empty(result.Maps["x86_64"]["Other"].Rpm);
    }

    /// <summary>get_prepopulate_packages: {variant: {arch: {build: ["name.arch"]}}}, the variant.arch's entries only.</summary>
    [Fact]
    public void Prepopulate_takes_the_variant_arch_entries_and_rejects_an_incompatible_arch()
    {
        const string pre = """{"Server": {"x86_64": {"dummy-bash": ["dummy-bash.x86_64"], "dummy-glibc": ["dummy-glibc.i686"]}, "s390x": {"x": ["dummy-bash.s390x"]}}}""";
        Assert.Equal(["dummy-bash.x86_64", "dummy-glibc.i686"], GatherSources.PrepopulatePackages(pre, "Server", "x86_64"));
        Assert.Empty(GatherSources.PrepopulatePackages(pre, "Client", "x86_64"));
        // "Incompatible package arch 's390x' for tree arch 'x86_64' in prepopulate package …" (upstream ValueError).
        var ex = Assert.Throws<PungiException>(() => GatherSources.PrepopulatePackages("""{"Server": {"x86_64": {"b": ["dummy-bash.s390x"]}}}""", "Server", "x86_64"));
        Assert.Equal(ErrorCodes.GatherIncompatibleArch, ex.Code);
    }

    /// <summary>
    /// Prepopulate goes with the comps source into %prepopulate: the package is gathered (flag prepopulate) although
    /// nothing asks for it, and only in the variant the file names.
    /// </summary>
    [Fact]
    public void Prepopulate_adds_the_package_to_the_named_variant_only()
    {
        const string pre = """{"Server": {"x86_64": {"dummy-tftp": ["dummy-tftp.x86_64"]}}}""";
        var result = Run("comps", prepopulate: pre, additional: [new VariantArchValue<string>(".*", "*", "dummy-bash")]);
        Assert.Contains(Names(result.Maps["x86_64"]["Server"]), n => n.StartsWith("dummy-tftp-", StringComparison.Ordinal));
        Assert.DoesNotContain(Names(result.Maps["x86_64"]["Other"]), n => n.StartsWith("dummy-tftp-", StringComparison.Ordinal));
        Assert.Contains(result.Maps["x86_64"]["Server"].Rpm, e => Path.GetFileName(e.Path).StartsWith("dummy-tftp-", StringComparison.Ordinal) && e.Flags.Contains("prepopulate"));
    }

    [Fact]
    public void Unknown_gather_source_is_an_error()
        => Assert.Equal(ErrorCodes.GatherUnknownSource, Assert.Throws<PungiException>(() => Run("module")).Code);
}
