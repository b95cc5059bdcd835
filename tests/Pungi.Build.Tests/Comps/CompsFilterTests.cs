using System.Text;
using System.Xml.Linq;
using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>Upstream <c>comps_filter</c> (spec §4.2), one rule per test; expectations worked out from the spec.</summary>
public class CompsFilterTests
{
    private const string Input = """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE comps PUBLIC "-//Red Hat, Inc.//DTD Comps info//EN" "comps.dtd">
        <comps>
          <group>
            <id>core</id>
            <name>Core</name>
            <name xml:lang="de">Kern</name>
            <packagelist>
              <packagereq type="mandatory">bash</packagereq>
              <packagereq arch="x86_64,aarch64">grub2-efi</packagereq>
              <packagereq arch="s390x">s390utils</packagereq>
              <packagereq arch="ppc64le x86_64">irqbalance</packagereq>
              <packagereq variant="Server">server-only</packagereq>
              <packagereq variant="Client, Workstation">client-only</packagereq>
            </packagelist>
          </group>
          <group arch="s390x">
            <id>mainframe</id>
            <name>Mainframe</name>
            <packagelist><packagereq>zipl</packagereq></packagelist>
          </group>
          <group variant="Client">
            <id>desktop</id>
            <name>Desktop</name>
            <packagelist><packagereq>gnome-shell</packagereq></packagelist>
          </group>
          <group>
            <id>x86-only</id>
            <name>X86</name>
            <packagelist><packagereq arch="x86_64">x86-tool</packagereq></packagelist>
          </group>
          <group>
            <id>conflicts</id>
            <name>Conflicts</name>
            <packagelist/>
          </group>
          <group>
            <id>conflicts-server</id>
            <name>Conflicts Server</name>
          </group>
          <group>
            <id>conflicts-client</id>
            <name>Conflicts Client</name>
          </group>
          <category>
            <id>base</id>
            <name>Base</name>
            <grouplist>
              <groupid>core</groupid>
              <groupid>x86-only</groupid>
            </grouplist>
          </category>
          <category>
            <id>big-iron</id>
            <name>Big iron</name>
            <grouplist><groupid>mainframe</groupid></grouplist>
          </category>
          <environment>
            <id>server-env</id>
            <name>Server</name>
            <grouplist>
              <groupid>core</groupid>
              <groupid>from-parent</groupid>
              <groupid arch="s390x">mainframe</groupid>
            </grouplist>
            <optionlist>
              <groupid>x86-only</groupid>
              <groupid>nowhere</groupid>
            </optionlist>
          </environment>
          <environment arch="x86_64">
            <id>x86-env</id>
            <name>X86 env</name>
            <grouplist><groupid>x86-only</groupid></grouplist>
          </environment>
          <environment>
            <id>options-only</id>
            <name>Only options</name>
            <grouplist><groupid>missing</groupid></grouplist>
            <optionlist><groupid>core</groupid></optionlist>
          </environment>
          <langpacks>
            <match name="firefox" install="firefox-langpack-%s"/>
          </langpacks>
          <unknown-thing keep="me">text</unknown-thing>
        </comps>
        """;

    private static CompsDocument Doc() => CompsDocument.Parse(Input, "test-comps.xml");

    private static List<string> Ids(CompsDocument d, string kind) => d.Root.Elements(kind).Select(e => e.Element("id")!.Value).ToList();

    private static List<string> Packages(CompsDocument d, string group)
        => d.Root.Elements("group").Single(g => g.Element("id")!.Value == group).Descendants("packagereq").Select(p => p.Value).ToList();

    [Fact]
    public void FilterPackages_ArchAttributeListSplitOnCommaAndSpace_NonMatchingRemoved_MatchingLosesAttribute()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", null, CompsFilterOptions.ForArch);
        Assert.Equal(["bash", "grub2-efi", "irqbalance", "server-only", "client-only"], Packages(d, "core"));
        Assert.DoesNotContain(d.Root.Descendants("packagereq"), p => p.Attribute("arch") != null);
        // Without --variant the variant attribute stays as it is.
        Assert.Equal("Server", d.Root.Descendants("packagereq").Single(p => p.Value == "server-only").Attribute("variant")?.Value);

        var s = CompsFilter.Filter(Doc(), "s390x", null, CompsFilterOptions.ForArch);
        Assert.Equal(["bash", "s390utils", "server-only", "client-only"], Packages(s, "core"));
    }

    [Fact]
    public void FilterPackages_VariantAttribute_SameRuleWithVariantUid()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", "Workstation", new CompsFilterOptions { NoCleanup = true });
        Assert.Equal(["bash", "grub2-efi", "irqbalance", "client-only"], Packages(d, "core"));
        Assert.Null(d.Root.Descendants("packagereq").Single(p => p.Value == "client-only").Attribute("variant"));
    }

    [Fact]
    public void FilterGroupsAndEnvironments_ByArchAndVariantAttributes()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", "Server", new CompsFilterOptions { NoCleanup = true });
        Assert.DoesNotContain("mainframe", Ids(d, "group"));   // arch="s390x"
        Assert.DoesNotContain("desktop", Ids(d, "group"));     // variant="Client"
        Assert.Contains("x86-env", Ids(d, "environment"));
        Assert.Null(d.Root.Elements("environment").Single(e => e.Element("id")!.Value == "x86-env").Attribute("arch"));

        var s = CompsFilter.Filter(Doc(), "s390x", "Client", new CompsFilterOptions { NoCleanup = true });
        Assert.Contains("mainframe", Ids(s, "group"));
        Assert.Contains("desktop", Ids(s, "group"));
        Assert.DoesNotContain("x86-env", Ids(s, "environment"));
    }

    [Fact]
    public void ArchOnlySwitches_DropElementsWithoutArchAttribute()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", null, new CompsFilterOptions { NoCleanup = true, ArchOnlyPackages = true, ArchOnlyGroups = true, ArchOnlyEnvironments = true });
        // Only groups with an arch attribute survive --arch-only-groups: mainframe is s390x, so none is left.
        Assert.Empty(Ids(d, "group"));
        Assert.Equal(["x86-env"], Ids(d, "environment"));

        var p = CompsFilter.Filter(Doc(), "x86_64", null, new CompsFilterOptions { NoCleanup = true, ArchOnlyPackages = true });
        Assert.Equal(["grub2-efi", "irqbalance"], Packages(p, "core"));
    }

    [Fact]
    public void NoCleanup_KeepsEmptyGroupsCategoriesAndDanglingIds()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", null, CompsFilterOptions.ForArch);
        Assert.Contains("conflicts-client", Ids(d, "group"));
        Assert.Contains("big-iron", Ids(d, "category")); // names mainframe, which is gone on x86_64
        Assert.Contains("from-parent", d.Root.Descendants("groupid").Select(g => g.Value));
    }

    [Fact]
    public void Cleanup_RemovesEmptyGroups_ExceptKeepEmptyFnmatchPatterns()
    {
        // Pungi's per-variant call keeps "conflicts" and "conflicts-<uid lowercased>".
        var d = CompsFilter.Filter(Doc(), "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal(["core", "x86-only", "conflicts", "conflicts-server"], Ids(d, "group"));

        var glob = CompsFilter.Filter(Doc(), "x86_64", "Server", new CompsFilterOptions { KeepEmptyGroups = ["conflicts-*"] });
        Assert.Equal(["core", "x86-only", "conflicts-server", "conflicts-client"], Ids(glob, "group"));
    }

    [Fact]
    public void Cleanup_GroupEmptiedByArchFilter_IsRemoved()
    {
        var s = CompsFilter.Filter(Doc(), "s390x", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.DoesNotContain("x86-only", Ids(s, "group")); // its only package is x86_64
    }

    [Fact]
    public void Cleanup_CategoriesLoseMissingGroupIds_AndEmptyCategoriesGo()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal(["base"], Ids(d, "category"));
        var s = CompsFilter.Filter(Doc(), "s390x", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal(["base", "big-iron"], Ids(s, "category"));
        Assert.Equal(["core"], s.Root.Elements("category").First().Descendants("groupid").Select(g => g.Value));
    }

    [Fact]
    public void Cleanup_EnvironmentGroupIds_KeptWhenInLookaside_DroppedWhenArchDoesNotMatch_4_3_6()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", "Server", CompsFilterOptions.ForVariant("Server", ["from-parent"]));
        var env = d.Root.Elements("environment").Single(e => e.Element("id")!.Value == "server-env");
        // mainframe: absent here; and its arch attribute says s390x only ([4.3.6] rule).
        Assert.Equal(["core", "from-parent"], env.Element("grouplist")!.Elements("groupid").Select(g => g.Value));
        Assert.Equal(["x86-only"], env.Element("optionlist")!.Elements("groupid").Select(g => g.Value));

        var noLookaside = CompsFilter.Filter(Doc(), "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal(["core"], noLookaside.Root.Elements("environment").First().Element("grouplist")!.Elements("groupid").Select(g => g.Value));

        // On s390x mainframe exists and the arch attribute matches: kept, attribute left in place (upstream only
        // reads it here).
        var s = CompsFilter.Filter(Doc(), "s390x", "Server", CompsFilterOptions.ForVariant("Server", []));
        var mainframe = s.Root.Elements("environment").First().Descendants("groupid").Single(g => g.Value == "mainframe");
        Assert.Equal("s390x", mainframe.Attribute("arch")?.Value);
    }

    [Fact]
    public void Cleanup_EnvironmentWithoutGrouplistIds_IsRemoved_EvenWithOptions()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal(["server-env", "x86-env"], Ids(d, "environment"));
    }

    [Fact]
    public void RemoveSwitches_DropCategoriesLangpacksTranslationsEnvironments()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", null, new CompsFilterOptions
        {
            NoCleanup = true, RemoveCategories = true, RemoveLangpacks = true, RemoveTranslations = true, RemoveEnvironments = true,
        });
        Assert.Empty(d.Root.Elements("category"));
        Assert.Empty(d.Root.Elements("langpacks"));
        Assert.Empty(d.Root.Elements("environment"));
        Assert.DoesNotContain(d.Root.Descendants(), e => e.Attribute(XNamespace.Xml + "lang") != null);
        Assert.Single(d.Root.Elements("unknown-thing"));
    }

    [Fact]
    public void Filter_KeepsTranslationsAndUnknownContent_AndLeavesInputUntouched()
    {
        var doc = Doc();
        var before = Encoding.UTF8.GetString(doc.ToBytes());
        var d = CompsFilter.Filter(doc, "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        Assert.Equal("Kern", d.Root.Element("group")!.Elements("name").Single(n => n.Attribute(XNamespace.Xml + "lang") != null).Value);
        Assert.Equal("me", d.Root.Element("unknown-thing")!.Attribute("keep")!.Value);
        Assert.Equal(before, Encoding.UTF8.GetString(doc.ToBytes()));
    }

    [Fact]
    public void Filter_KeepsSourceLinesForErrors()
    {
        var d = CompsFilter.Filter(Doc(), "x86_64", null, CompsFilterOptions.ForArch);
        var grub = d.Root.Descendants("packagereq").Single(p => p.Value == "grub2-efi");
        Assert.Equal(10, CompsDocument.LineOf(grub));
    }

    [Fact]
    public void DuplicateGroupIds_AfterFiltering_AreAnErrorWithBothLines()
    {
        const string dup = """
            <comps>
              <group><id>a</id><packagelist><packagereq>x</packagereq></packagelist></group>
              <group arch="s390x"><id>a</id><packagelist><packagereq>y</packagereq></packagelist></group>
              <group variant="Server"><id>b</id><packagelist><packagereq>y</packagereq></packagelist></group>
              <group variant="Client"><id>b</id><packagelist><packagereq>y</packagereq></packagelist></group>
            </comps>
            """;
        var doc = CompsDocument.Parse(dup, "dup.xml");
        // Different arches: no clash on x86_64; different variants: no clash in the arch file nor per variant.
        CompsFilter.Filter(doc, "x86_64", null, CompsFilterOptions.ForArch);
        CompsFilter.Filter(doc, "x86_64", "Server", CompsFilterOptions.ForVariant("Server", []));
        var e = Assert.Throws<PungiException>(() => CompsFilter.Filter(doc, "s390x", null, CompsFilterOptions.ForArch));
        Assert.Equal(ErrorCodes.CompsDuplicateId, e.Code);
        Assert.Equal("dup.xml", e.File);
        Assert.Equal(3, e.Line);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void SplitList_UsesRunsOfCommasAndSpaces()
    {
        Assert.Equal(["a", "b", "c"], CompsFilter.SplitList(" a,, b ,c "));
    }

    [Theory]
    [InlineData("conflicts-server", "conflicts-*", true)]
    [InlineData("conflicts", "conflicts-*", false)]
    [InlineData("abc", "a?c", true)]
    [InlineData("abc", "a[!b]c", false)]
    [InlineData("a.c", "a[.]c", true)]
    [InlineData("Core", "core", false)]
    [InlineData("[x", "[x", true)]
    public void FnMatch_BehavesLikePythonFnmatchOnPosix(string name, string pattern, bool expected)
        => Assert.Equal(expected, FnMatch.IsMatch(name, pattern));
}
