using System.Text;
using Pungi.Build.Comps;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>Spec §4.3: variants.xml group/environment filtering and the libcomps/minidom rewrite. Expected files are
/// written out by hand from the rules in the spec.</summary>
public class VariantCompsFilterTests
{
    private const string Input = """
        <?xml version="1.0" encoding="UTF-8"?>
        <comps>
          <group>
            <id>zeta</id>
            <name>Zeta &amp; "Co"</name>
            <name xml:lang="fr">Zêta</name>
            <name xml:lang="de">Zeta-de</name>
            <description xml:lang="de">Beschreibung</description>
            <default>false</default>
            <packagelist>
              <packagereq type="optional">opt-b</packagereq>
              <packagereq type="conditional" requires="gnome-shell">cond</packagereq>
              <packagereq>plain</packagereq>
              <packagereq type="default">def</packagereq>
              <packagereq type="optional">opt-a</packagereq>
              <packagereq type="mandatory">mand</packagereq>
            </packagelist>
            <unknown>ignored by libcomps</unknown>
          </group>
          <group>
            <id>alpha</id>
            <name>Alpha</name>
            <description>First</description>
            <default>true</default>
            <uservisible>false</uservisible>
            <langonly>de</langonly>
            <packagelist><packagereq>a</packagereq></packagelist>
          </group>
          <group>
            <id>extra-1</id>
            <name>Extra one</name>
            <packagelist><packagereq>e1</packagereq></packagelist>
          </group>
          <category>
            <id>cat-b</id>
            <name>B</name>
            <display_order>5</display_order>
            <grouplist><groupid>zeta</groupid><groupid default="true">alpha</groupid><groupid>extra-1</groupid></grouplist>
          </category>
          <category>
            <id>cat-a</id>
            <name>A</name>
            <description>Only extras</description>
            <grouplist><groupid>extra-1</groupid></grouplist>
          </category>
          <environment>
            <id>env-z</id>
            <name>Env Z</name>
            <display_order>3</display_order>
            <grouplist><groupid>zeta</groupid><groupid>extra-1</groupid></grouplist>
            <optionlist><groupid default="true">alpha</groupid></optionlist>
          </environment>
          <environment>
            <id>env-a</id>
            <name>Env A</name>
            <grouplist><groupid>alpha</groupid></grouplist>
          </environment>
          <langpacks>
            <match name="zz" install="zz-%s"/>
            <match name="aa" install="aa-%s"/>
          </langpacks>
        </comps>
        """;

    private static CompsModel Model() => CompsModel.FromDocument(CompsDocument.Parse(Input, "v.xml"));

    private static VariantCompsSpec Spec(string type, VariantGroupRef[] groups, VariantEnvironmentRef[]? envs = null, bool modules = false)
        => new("Server", type, groups, envs ?? [], modules);

    [Fact]
    public void LibcompsView_ReadsTypesDefaultsAndTranslations()
    {
        var m = Model();
        var zeta = m.FindGroup("zeta")!;
        Assert.False(zeta.Default);
        Assert.True(zeta.UserVisible); // missing <uservisible> reads as true
        Assert.Null(zeta.Description);  // only a translated description
        Assert.Equal(["de", "fr"], zeta.NameByLang.Keys);
        Assert.Equal(CompsPackageType.Mandatory, m.PackagesOf("zeta").Single(p => p.Name == "plain").Type); // no type = mandatory
        Assert.Equal("gnome-shell", m.PackagesOf("zeta").Single(p => p.Type == CompsPackageType.Conditional).Requires);
        Assert.Equal("aa-%s", m.Langpacks["aa"]);
        Assert.Equal(["alpha"], m.Environments.Single(e => e.Id == "env-z").OptionIds.Select(o => o.Name));
        Assert.Throws<KeyNotFoundException>(() => m.PackagesOf("nope"));
    }

    [Fact]
    public void PlainVariantWithoutGroups_KeepsAllGroupsAndEnvironments_AndWritesLibcompsLayout()
    {
        var diags = new List<CompsDiagnostic>();
        var result = VariantCompsFilter.Apply(Model(), Spec("variant", []), "x86_64", true, diags);
        Assert.Empty(diags);
        // Worked out from §4.3: groups sorted by id; names then translations sorted by lang; description always
        // written for groups (empty -> <description/>) followed by its translations; packages by type then name;
        // categories in input order with sorted group ids; environments sorted by id; langpacks sorted by name.
        const string expected = """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE comps
              PUBLIC '-//Red Hat, Inc.//DTD Comps info//EN'
              'comps.dtd'>
            <comps>
              <group>
                <id>alpha</id>
                <name>Alpha</name>
                <description>First</description>
                <default>true</default>
                <uservisible>false</uservisible>
                <langonly>de</langonly>
                <packagelist>
                  <packagereq type="mandatory">a</packagereq>
                </packagelist>
              </group>
              <group>
                <id>extra-1</id>
                <name>Extra one</name>
                <description/>
                <default>false</default>
                <uservisible>true</uservisible>
                <packagelist>
                  <packagereq type="mandatory">e1</packagereq>
                </packagelist>
              </group>
              <group>
                <id>zeta</id>
                <name>Zeta &amp; &quot;Co&quot;</name>
                <name xml:lang="de">Zeta-de</name>
                <name xml:lang="fr">Zêta</name>
                <description/>
                <description xml:lang="de">Beschreibung</description>
                <default>false</default>
                <uservisible>true</uservisible>
                <packagelist>
                  <packagereq type="mandatory">mand</packagereq>
                  <packagereq type="mandatory">plain</packagereq>
                  <packagereq type="default">def</packagereq>
                  <packagereq type="optional">opt-a</packagereq>
                  <packagereq type="optional">opt-b</packagereq>
                  <packagereq requires="gnome-shell" type="conditional">cond</packagereq>
                </packagelist>
              </group>
              <category>
                <id>cat-b</id>
                <name>B</name>
                <display_order>5</display_order>
                <grouplist>
                  <groupid default="true">alpha</groupid>
                  <groupid>extra-1</groupid>
                  <groupid>zeta</groupid>
                </grouplist>
              </category>
              <category>
                <id>cat-a</id>
                <name>A</name>
                <description>Only extras</description>
                <grouplist>
                  <groupid>extra-1</groupid>
                </grouplist>
              </category>
              <environment>
                <id>env-a</id>
                <name>Env A</name>
                <grouplist>
                  <groupid>alpha</groupid>
                </grouplist>
              </environment>
              <environment>
                <id>env-z</id>
                <name>Env Z</name>
                <display_order>3</display_order>
                <grouplist>
                  <groupid>extra-1</groupid>
                  <groupid>zeta</groupid>
                </grouplist>
                <optionlist>
                  <groupid default="true">alpha</groupid>
                </optionlist>
              </environment>
              <langpacks>
                <match install="aa-%s" name="aa"/>
                <match install="zz-%s" name="zz"/>
              </langpacks>
            </comps>

            """;
        Assert.Equal(expected, CompsWriter.WriteString(result));
    }

    [Fact]
    public void VariantGroups_KeepOnlyListed_WithDefaultAndUservisibleOverrides()
    {
        var diags = new List<CompsDiagnostic>();
        var result = VariantCompsFilter.Apply(Model(), Spec("variant", [new("zeta", Default: true, UserVisible: false), new("alpha")]), "x86_64", true, diags);
        Assert.Equal(["zeta", "alpha"], result.Groups.Select(g => g.Id));
        Assert.True(result.FindGroup("zeta")!.Default);
        Assert.False(result.FindGroup("zeta")!.UserVisible);
        Assert.True(result.FindGroup("alpha")!.Default);       // no override: comps value
        Assert.False(result.FindGroup("alpha")!.UserVisible);
        Assert.Empty(diags);
    }

    [Fact]
    public void GlobGroupEntries_UseFnmatch_FirstMatchingEntryWins()
    {
        var diags = new List<CompsDiagnostic>();
        var result = VariantCompsFilter.Apply(Model(), Spec("variant", [new("extra-*", Glob: true, Default: true), new("extra-1", Default: false)]), "x86_64", true, diags);
        Assert.Equal(["extra-1"], result.Groups.Select(g => g.Id));
        Assert.True(result.Groups[0].Default);
        // A literal entry is not a glob: "extra-*" without glob="true" matches nothing.
        var literal = VariantCompsFilter.Apply(Model(), Spec("variant", [new("extra-*")]), "x86_64", true, diags);
        Assert.Empty(literal.Groups);
    }

    [Fact]
    public void UnmatchedVariantGroup_IsAWarningWithUpstreamText_AndVariantsXmlPosition()
    {
        var diags = new List<CompsDiagnostic>();
        VariantCompsFilter.Apply(Model(), Spec("variant", [new("alpha"), new("ghost", File: "variants.xml", Line: 42)]), "s390x", true, diags);
        var d = Assert.Single(diags);
        Assert.Equal(ErrorCodes.CompsUnmatchedVariantGroup, d.Code);
        Assert.Equal("Variant Server.s390x requires comps group ghost which does not match anything in input comps file", d.Message);
        Assert.Equal(("variants.xml", 42), (d.File, d.Line));
    }

    [Fact]
    public void NonVariantTypeOrModularVariant_WithoutGroups_KeepsNoGroups()
    {
        var diags = new List<CompsDiagnostic>();
        Assert.Empty(VariantCompsFilter.Apply(Model(), Spec("optional", []), "x86_64", true, diags).Groups);
        Assert.Empty(VariantCompsFilter.Apply(Model(), Spec("addon", []), "x86_64", true, diags).Groups);
        Assert.Empty(VariantCompsFilter.Apply(Model(), Spec("variant", [], modules: true), "x86_64", true, diags).Groups);
        Assert.Equal(3, VariantCompsFilter.Apply(Model(), Spec("variant", []), "x86_64", true, diags).Groups.Count);
        // With no groups and no environments listed, environments are not filtered (all kept).
        Assert.Equal(2, VariantCompsFilter.Apply(Model(), Spec("optional", []), "x86_64", true, diags).Environments.Count);
    }

    [Fact]
    public void Environments_FilteredToListed_WithDisplayOrderOverride_OnlyWhenEnabled()
    {
        var diags = new List<CompsDiagnostic>();
        var result = VariantCompsFilter.Apply(Model(), Spec("variant", [new("alpha")], [new("env-z", DisplayOrder: 1000)]), "x86_64", true, diags);
        var env = Assert.Single(result.Environments);
        Assert.Equal(1000, env.DisplayOrder);

        // A variant with groups but no environments loses all environments.
        Assert.Empty(VariantCompsFilter.Apply(Model(), Spec("variant", [new("alpha")]), "x86_64", true, diags).Environments);

        // comps_filter_environments = False leaves them alone.
        Assert.Equal(2, VariantCompsFilter.Apply(Model(), Spec("variant", [new("alpha")]), "x86_64", false, diags).Environments.Count);
    }

    [Fact]
    public void Writer_CategoriesDropGroupsNoLongerPresent_EnvironmentsKeepThem_UpstreamQuirk()
    {
        var diags = new List<CompsDiagnostic>();
        var result = VariantCompsFilter.Apply(Model(), Spec("variant", [new("alpha")], [new("env-z")]), "x86_64", true, diags);
        var xml = CompsWriter.WriteString(result);
        // cat-b keeps only alpha; cat-a (extra-1 only) disappears.
        Assert.Contains("<category>\n    <id>cat-b</id>\n    <name>B</name>\n    <display_order>5</display_order>\n    <grouplist>\n      <groupid default=\"true\">alpha</groupid>\n    </grouplist>\n  </category>\n", xml);
        Assert.DoesNotContain("cat-a", xml);
        // env-z still names zeta and extra-1 although those groups were removed by the variant filter.
        Assert.Contains("<grouplist>\n      <groupid>extra-1</groupid>\n      <groupid>zeta</groupid>\n    </grouplist>", xml);
    }

    [Fact]
    public void Writer_UnknownPackageType_IsAnErrorWithLine()
    {
        var model = CompsModel.FromDocument(CompsDocument.Parse("<comps>\n<group><id>g</id><packagelist>\n<packagereq type=\"recommended\">x</packagereq></packagelist></group></comps>", "bad.xml"));
        var e = Assert.Throws<PungiException>(() => CompsWriter.Write(model));
        Assert.Equal(ErrorCodes.CompsUnknownPackageType, e.Code);
        Assert.Equal(("bad.xml", 3), (e.File, e.Line));
    }

    [Fact]
    public void Writer_EmptyComps_IsSelfClosingRoot()
    {
        var xml = CompsWriter.WriteString(new CompsModel());
        Assert.EndsWith("'comps.dtd'>\n<comps/>\n", xml);
        Assert.Equal(Encoding.UTF8.GetBytes(xml), CompsWriter.Write(new CompsModel()));
    }

    [Fact]
    public void LookasideGroups_AreParentAndLookasideVariantGroupNames()
    {
        var groups = VariantCompsSpec.LookasideGroupsOf([new("core"), new("standard")], [[new("web-*", Glob: true)], [new("core")]]);
        Assert.Equal(["core", "standard", "web-*"], groups);
    }
}
