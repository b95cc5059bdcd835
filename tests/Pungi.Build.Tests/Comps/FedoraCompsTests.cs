using System.Diagnostics;
using System.Text;
using System.Xml.Linq;
using Pungi.Build.Comps;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>Fedora's real comps source (comps-f40.xml.in: 158 groups, 4401 packagereq lines of which 2 are inside comments, arch attributes).</summary>
public class FedoraCompsTests
{
    internal static readonly string FedoraComps = Path.Combine(TestPaths.Fixtures, "fedora-comps", "comps-f40.xml.in");

    private static readonly Lazy<CompsDocument> Doc = new(() => CompsDocument.Load(FedoraComps));

    public static TheoryData<string> Arches => new() { "x86_64", "aarch64", "s390x" };

    [Fact]
    public void Loads_AsTranslationSource_WithNamesForEveryGroup()
    {
        var model = CompsModel.FromDocument(Doc.Value);
        Assert.True(Doc.Value.IsTranslationSource);
        Assert.Equal(158, model.Groups.Count);
        Assert.All(model.Groups, g => Assert.False(string.IsNullOrEmpty(g.Name), g.Id));
        Assert.Equal(4399, model.Groups.Sum(g => g.Packages.Count));
        Assert.DoesNotContain(model.Groups.SelectMany(g => g.Packages), p => p.Type == CompsPackageType.Unknown);
        model.ValidatePackageNames();
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void ArchFile_NoPackagereqForAnotherArchRemains_AndNothingElseIsLost(string arch)
    {
        var source = Doc.Value;
        var filtered = CompsFilter.Filter(source, arch, null, CompsFilterOptions.ForArch);
        Assert.DoesNotContain(filtered.Root.Descendants(), e => e.Name != "groupid" && e.Attribute("arch") != null);

        // Every packagereq of the input whose arch list names this arch (or has none) is still there, the others are
        // gone: counted independently of the filter from the source.
        int expected = source.Root.Elements("group")
            .Where(g => g.Attribute("arch") is null || CompsFilter.SplitList(g.Attribute("arch")!.Value).Contains(arch))
            .SelectMany(g => g.Elements("packagelist").Elements("packagereq"))
            .Count(p => p.Attribute("arch") is null || CompsFilter.SplitList(p.Attribute("arch")!.Value).Contains(arch));
        Assert.Equal(expected, filtered.Root.Descendants("packagereq").Count());
        // --no-cleanup: every group, category and environment without an arch attribute is still present.
        Assert.Equal(source.Root.Elements("category").Count(), filtered.Root.Elements("category").Count());
        Assert.True(expected < source.Root.Descendants("packagereq").Count());
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void VariantFile_HasNoEmptyGroupsExceptConflicts_AndOnlyKnownGroupIds(string arch)
    {
        var filtered = CompsFilter.Filter(Doc.Value, arch, "Everything", CompsFilterOptions.ForVariant("Everything", []));
        var groups = filtered.Root.Elements("group").ToList();
        Assert.All(groups, g => Assert.True(
            g.Descendants("packagereq").Any() || FnMatch.IsMatch(g.Element("id")!.Value, "conflicts") || g.Element("id")!.Value == "conflicts-everything",
            g.Element("id")!.Value));
        var ids = groups.Select(g => g.Element("id")!.Value).ToHashSet();
        Assert.All(filtered.Root.Elements("category").Descendants("groupid"), g => Assert.Contains(g.Value, ids));
        Assert.All(filtered.Root.Elements("environment").Descendants("groupid"), g => Assert.Contains(g.Value, ids));
        Assert.All(filtered.Root.Elements("environment"), e => Assert.NotEmpty(e.Elements("grouplist").Elements("groupid")));
    }

    [Fact]
    public void Translations_AreKept()
    {
        // The .xml.in has no xml:lang entries; add some as intltool-merge would and check they survive both steps.
        var doc = Doc.Value.Clone();
        var core = doc.Root.Elements("group").Single(g => g.Element("id")!.Value == "core");
        core.Element("name")!.AddAfterSelf(new XElement("name", new XAttribute(XNamespace.Xml + "lang", "cs"), "Jádro"));
        var filtered = CompsFilter.Filter(doc, "x86_64", null, CompsFilterOptions.ForArch);
        Assert.Contains("<name xml:lang=\"cs\">Jádro</name>", Encoding.UTF8.GetString(filtered.ToBytes()));
        var model = CompsInit.FilterVariant(doc, new VariantCompsSpec("Everything", "variant", [], []), "x86_64", true, new List<CompsDiagnostic>());
        Assert.Equal("Jádro", model.FindGroup("core")!.NameByLang["cs"]);
        Assert.Contains("<name xml:lang=\"cs\">Jádro</name>", CompsWriter.WriteString(model));
    }

    [Theory]
    [MemberData(nameof(Arches))]
    public void ParseWriteParse_IsEqual(string arch)
    {
        var once = CompsFilter.Filter(Doc.Value, arch, null, CompsFilterOptions.ForArch);
        var bytes = once.ToBytes();
        var again = CompsDocument.Parse(Encoding.UTF8.GetString(bytes));
        Assert.True(XNode.DeepEquals(once.Root, again.Root));
        Assert.Equal(bytes, again.ToBytes());

        var model = CompsInit.FilterVariant(Doc.Value, new VariantCompsSpec("Everything", "variant", [], []), arch, true, new List<CompsDiagnostic>());
        var written = CompsWriter.WriteString(model);
        var reread = CompsModel.FromDocument(CompsDocument.Parse(written));
        Assert.Equal(written, CompsWriter.WriteString(reread));
        Assert.Equal(model.Groups.Count, reread.Groups.Count);
    }

    [Fact]
    public void Performance_TenVariantArchPairs_WellUnderASecond()
    {
        var doc = CompsDocument.Load(FedoraComps);
        var variants = new[] { "Everything", "Server", "Workstation", "Cloud", "Container" };
        void RunAll()
        {
            foreach (var arch in new[] { "x86_64", "aarch64" })
                foreach (var v in variants)
                    CompsInit.BuildVariant(doc, new VariantCompsSpec(v, "variant", v == "Everything" ? [] : [new VariantGroupRef("core"), new VariantGroupRef("standard")], []), arch, true, new List<CompsDiagnostic>());
        }
        RunAll(); // JIT
        // The CI box has 2 cores shared with other builds (load averages of 20+ seen), so wall time says little; the
        // CPU time this thread spends is what the filter costs. Issue 5's 0.5 s goal is measured in bench/.
        var cpuBefore = ThreadCpuTime();
        var sw = Stopwatch.StartNew();
        RunAll();
        sw.Stop();
        var cpu = ThreadCpuTime() - cpuBefore;
        Assert.True(cpu < TimeSpan.FromSeconds(1), $"10 variant.arch filters took {cpu.TotalMilliseconds:F0} ms CPU ({sw.Elapsed.TotalMilliseconds:F0} ms wall)");
    }

    // utime + stime of the calling thread from /proc (clock ticks of 10 ms); falls back to process time elsewhere.
    private static TimeSpan ThreadCpuTime()
    {
        const string stat = "/proc/thread-self/stat";
        if (!File.Exists(stat))
            return Process.GetCurrentProcess().TotalProcessorTime;
        var text = File.ReadAllText(stat);
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        // Fields after the command: state is index 0, utime is field 14 of the line = index 11 here.
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    [SkippableTheory]
    [MemberData(nameof(Arches))]
    public void Output_IsAcceptedByXmllint(string arch)
    {
        var xmllint = CompsInterop.FindTool("xmllint");
        CompsInterop.SkipUnless(xmllint != null, "xmllint is not installed (apt-get install libxml2-utils)");
        var dir = CompsInterop.TempDir();
        var result = CompsInit.Run(FedoraComps, Path.Combine(dir, "work"),
            [new(new VariantCompsSpec("Everything", "variant", [], []), [arch]), new(new VariantCompsSpec("Server", "variant", [new("core"), new("server-product")], []), [arch])]);
        foreach (var file in result.Files)
        {
            var (code, _, err) = CompsInterop.Run(xmllint!, ["--noout", file.Path]);
            Assert.True(code == 0, $"{file.Path}: {err}");
        }
        Directory.Delete(dir, true);
    }
}
