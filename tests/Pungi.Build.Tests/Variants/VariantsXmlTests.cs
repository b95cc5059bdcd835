using Pungi.Build.Diagnostics;
using Pungi.Build.Tests.Compose;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Variants;

/// <summary>variants.xml parsing per spec §5 (Pungi VariantsXmlParser), against upstream's example-variants.xml.</summary>
public class VariantsXmlTests
{
    private static string Example => Path.Combine(TestPaths.Shared, "reference", "pungi", "example-variants.xml");

    private static PungiException Fails(string body, VariantFilter? filter = null)
    {
        using var tmp = new TempDir();
        var p = tmp.File("variants.xml", "<?xml version=\"1.0\"?>\n<variants>\n" + body + "\n</variants>\n");
        var ex = Assert.Throws<PungiException>(() => VariantsXml.Load(p, filter));
        Assert.Equal(p, ex.File);
        return ex;
    }

    private static VariantModel Loads(string body, VariantFilter? filter = null)
    {
        using var tmp = new TempDir();
        return VariantsXml.Load(tmp.File("variants.xml", "<?xml version=\"1.0\"?>\n<variants>\n" + body + "\n</variants>\n"), filter);
    }

    [Fact]
    public void Upstream_example_gives_all_variants_in_rank_uid_order()
    {
        var m = VariantsXml.Load(Example);
        // (rank, uid): variants 0, addon/layered-product 1, optional 2 (spec §1.5)
        Assert.Equal(
            ["Bar-Tools", "Client", "Everything", "Foo-Tools", "Live", "Server", "Server-Gluster", "Server-ResilientStorage", "Client-optional", "Server-optional"],
            m.All.Select(v => v.Uid));
        Assert.Equal(["i386", "s390x", "x86_64"], m.Arches);
        Assert.Equal(["Live", "Everything", "Client", "Server", "Foo-Tools", "Bar-Tools"], m.TopLevel.Select(v => v.Uid));
    }

    [Fact]
    public void Server_children_refs_and_explicit_optional()
    {
        var server = VariantsXml.Load(Example).Find("Server")!;
        Assert.Equal(["s390x", "x86_64"], server.Arches); // sorted
        Assert.Equal(["Server-Gluster", "Server-ResilientStorage", "Server-optional"], server.Children.Select(c => c.Uid));
        var rs = server.Children.Single(c => c.Id == "ResilientStorage");
        Assert.Equal(VariantType.Addon, rs.Type);
        Assert.Equal(["x86_64"], rs.Arches);
        Assert.Same(server, rs.Parent);
        Assert.Equal([new VariantGroup("resilient-storage", false, true, null)], rs.Groups);
        var gluster = server.Children.Single(c => c.Id == "Gluster");
        Assert.Equal(VariantType.LayeredProduct, gluster.Type);
        Assert.Equal(new VariantRelease("Gluster", "Gluster", "2.3"), gluster.Release);
        // has_optional="true" plus an explicit optional child: only the explicit one exists.
        var optional = server.Children.Single(c => c.Type == VariantType.Optional);
        Assert.Equal([new VariantGroup("firefox", false, false, null)], optional.Groups);
        Assert.Equal(["s390x", "x86_64"], optional.Arches);
    }

    [Fact]
    public void Has_optional_creates_optional_with_parent_arches_and_no_groups()
    {
        var client = VariantsXml.Load(Example).Find("Client-optional")!;
        Assert.Equal("optional", client.Id);
        Assert.Equal("optional", client.Name);
        Assert.Equal(VariantType.Optional, client.Type);
        Assert.Equal(["i386", "x86_64"], client.Arches);
        Assert.Empty(client.Groups);
    }

    [Fact]
    public void Groups_and_environments_sorted_by_name_with_tri_state_flags()
    {
        var client = VariantsXml.Load(Example).Find("Client")!;
        Assert.Equal(
        [
            new VariantGroup("core", false, true, null), new VariantGroup("firefox", false, true, false),
            new VariantGroup("skype", false, null, null), new VariantGroup("standard", false, true, null),
            new VariantGroup("text-internet", false, false, null),
        ], client.Groups);
        Assert.Equal([new VariantEnvironment("desktop", 1000), new VariantEnvironment("minimal", null)], client.Environments);
        Assert.Null(client.Modules); // no <modules>: None, not []
    }

    [Fact]
    public void Is_empty_and_dash_ids()
    {
        var m = VariantsXml.Load(Example);
        Assert.True(m.Find("Live")!.IsEmpty);
        Assert.False(m.Find("Everything")!.IsEmpty);
        Assert.Equal("FooTools", m.Find("Foo-Tools")!.MetadataId); // productmd id: dashes removed for top-level
        Assert.Equal("ResilientStorage", m.Find("Server-ResilientStorage")!.MetadataId);
    }

    [Fact]
    public void Is_empty_false_is_read_as_false_not_pungis_presence_quirk()
        => Assert.False(Loads("""<variant id="A" name="A" type="variant" is_empty="false"><arches><arch>x86_64</arch></arches></variant>""").Find("A")!.IsEmpty);

    [Fact]
    public void Get_variants_by_type_and_arch()
    {
        var m = VariantsXml.Load(Example);
        Assert.Equal(["Server-Gluster", "Server-ResilientStorage"],
            m.GetVariants([VariantType.Addon, VariantType.LayeredProduct]).Select(v => v.Uid));
        Assert.Equal(["Server", "Server-optional"], m.GetVariants(arch: "s390x").Select(v => v.Uid));
        var server = m.Find("Server")!;
        // Variant.get_variants: src always matches; "self" includes the variant itself.
        Assert.Equal(["Server", "Server-Gluster", "Server-ResilientStorage", "Server-optional"],
            server.GetVariants(arch: "src", includeSelf: true).Select(v => v.Uid));
        Assert.Equal(["Server-optional"], server.GetVariants(arch: "s390x").Select(v => v.Uid));
    }

    [Fact]
    public void Tree_arches_intersects_and_drops_variants_left_without_arches()
    {
        var m = VariantsXml.Load(Example, new VariantFilter { TreeArches = ["s390x"] });
        Assert.Equal(["Server", "Server-optional"], m.All.Select(v => v.Uid));
        Assert.Equal(["s390x"], m.Find("Server")!.Arches);
        Assert.Contains(m.Excluded, e => e.Contains("Live", StringComparison.Ordinal));
    }

    [Fact]
    public void Tree_variants_keeps_listed_uids_only()
    {
        var m = VariantsXml.Load(Example, new VariantFilter { TreeVariants = ["Server", "Server-optional", "Live"] });
        Assert.Equal(["Live", "Server", "Server-optional"], m.All.Select(v => v.Uid));
    }

    [Fact]
    public void Modules_and_kojitags_and_buildinstallpackages()
    {
        var v = Loads("""
            <variant id="S" name="S" type="variant">
              <arches><arch>x86_64</arch></arches>
              <buildinstallpackages><package>fedora-logos</package></buildinstallpackages>
              <modules><module glob="true">nodejs:*</module><module>dns:1</module><kojitag>f41-modular</kojitag></modules>
            </variant>
            """).Find("S")!;
        Assert.Equal([new VariantModule("dns:1"), new VariantModule("nodejs:*", true)], v.Modules);
        Assert.Equal(["f41-modular"], v.ModularKojiTags);
        Assert.Equal(["fedora-logos"], v.BuildInstallPackages);
        var empty = Loads("""<variant id="S" name="S" type="variant"><arches><arch>x86_64</arch></arches><modules/></variant>""").Find("S")!;
        Assert.Null(empty.Modules); // an empty <modules> leaves modules None, as Pungi
    }

    [Fact]
    public void Missing_file_is_PUNGI1020()
        => Assert.Equal(ErrorCodes.VariantsFileMissing, Assert.Throws<PungiException>(() => VariantsXml.Load("/nonexistent/variants.xml")).Code);

    [Fact]
    public void Malformed_xml_is_PUNGI1021_with_line()
    {
        var ex = Fails("""<variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>""");
        Assert.Equal(ErrorCodes.VariantsXmlMalformed, ex.Code);
        Assert.True(ex.Line >= 3, $"line {ex.Line}");
    }

    [Fact]
    public void Unknown_arch_is_PUNGI1025_at_the_arch_line_with_suggestion()
    {
        var ex = Fails("""
            <variant id="A" name="A" type="variant">
              <arches>
                <arch>x86-64</arch>
              </arches>
            </variant>
            """);
        Assert.Equal(ErrorCodes.VariantUnknownArch, ex.Code);
        Assert.Equal(5, ex.Line);
        Assert.Contains("x86_64", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_arches_is_PUNGI1026()
    {
        Assert.Equal(ErrorCodes.VariantNoArches, Fails("""<variant id="A" name="A" type="variant"><arches/></variant>""").Code);
        Assert.Equal(ErrorCodes.VariantNoArches, Fails("""<variant id="A" name="A" type="variant"/>""").Code);
    }

    [Fact]
    public void Duplicate_uid_is_PUNGI1027()
    {
        const string a = """<variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches></variant>""";
        var ex = Fails(a + "\n" + a);
        Assert.Equal(ErrorCodes.VariantDuplicateUid, ex.Code);
        Assert.Equal(4, ex.Line);
        // A top-level "A-B" collides with child B of A.
        Assert.Equal(ErrorCodes.VariantDuplicateUid, Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants><variant id="B" name="B" type="optional"><arches><arch>x86_64</arch></arches></variant></variants></variant>
            <variant id="A-B" name="AB" type="variant"><arches><arch>x86_64</arch></arches></variant>
            """).Code);
    }

    [Fact]
    public void Top_level_optional_is_PUNGI1028()
        => Assert.Equal(ErrorCodes.VariantChildWithoutParent,
            Fails("""<variant id="O" name="O" type="optional"><arches><arch>x86_64</arch></arches></variant>""").Code);

    [Fact]
    public void Optional_of_an_optional_is_PUNGI1029()
        => Assert.Equal(ErrorCodes.VariantChildOfNonVariant, Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants><variant id="opt" name="opt" type="optional"><arches><arch>x86_64</arch></arches>
                <variants><variant id="opt2" name="o2" type="optional"><arches><arch>x86_64</arch></arches></variant></variants>
              </variant></variants>
            </variant>
            """).Code);

    [Fact]
    public void Child_with_parent_id_is_PUNGI1030()
        => Assert.Equal(ErrorCodes.VariantChildSameId, Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants><variant id="A" name="A" type="addon"><arches><arch>x86_64</arch></arches></variant></variants></variant>
            """).Code);

    [Fact]
    public void Child_arches_outside_parent_is_PUNGI1031()
        => Assert.Equal(ErrorCodes.VariantArchesNotInParent, Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants><variant id="B" name="B" type="addon"><arches><arch>s390x</arch></arches></variant></variants></variant>
            """).Code);

    [Fact]
    public void Unknown_ref_is_PUNGI1032_at_the_ref()
    {
        var ex = Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants>
                <ref id="Nope"/>
              </variants>
            </variant>
            """);
        Assert.Equal(ErrorCodes.VariantUnknownRef, ex.Code);
        Assert.Equal(5, ex.Line);
    }

    [Fact]
    public void Schema_violations_are_PUNGI1022()
    {
        // <groups> before <arches>
        Assert.Equal(ErrorCodes.VariantsXmlInvalid, Fails("""
            <variant id="A" name="A" type="variant"><groups><group>core</group></groups><arches><arch>x86_64</arch></arches></variant>
            """).Code);
        Assert.Equal(ErrorCodes.VariantsXmlInvalid, Fails("""<variant id="A" name="A" type="variant" colour="red"><arches><arch>x86_64</arch></arches></variant>""").Code);
        Assert.Equal(ErrorCodes.VariantsXmlInvalid, Fails("""<variant id="A" type="variant"><arches><arch>x86_64</arch></arches></variant>""").Code);
        Assert.Equal(ErrorCodes.VariantsXmlInvalid, Fails("""<product id="A"/>""").Code);
        Assert.Equal(ErrorCodes.VariantUnknownType, Fails("""<variant id="A" name="A" type="base"><arches><arch>x86_64</arch></arches></variant>""").Code);
    }

    [Fact]
    public void Booleans_must_be_exactly_true_or_false_PUNGI1023()
        => Assert.Equal(ErrorCodes.VariantBadBoolean,
            Fails("""<variant id="A" name="A" type="variant" has_optional="yes"><arches><arch>x86_64</arch></arches></variant>""").Code);

    [Fact]
    public void Whitespace_around_text_is_PUNGI1024()
        => Assert.Equal(ErrorCodes.VariantTextWhitespace,
            Fails("""<variant id="A" name="A" type="variant"><arches><arch> x86_64</arch></arches></variant>""").Code);

    [Fact]
    public void Layered_product_without_release_is_PUNGI1035()
        => Assert.Equal(ErrorCodes.VariantMissingRelease, Fails("""
            <variant id="L" name="L" type="layered-product"><arches><arch>x86_64</arch></arches></variant>
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches><variants><ref id="L"/></variants></variant>
            """).Code);

    [Fact]
    public void Bad_child_id_is_PUNGI1034()
        => Assert.Equal(ErrorCodes.VariantBadId, Fails("""
            <variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches>
              <variants><variant id="B-C" name="B" type="addon"><arches><arch>x86_64</arch></arches></variant></variants></variant>
            """).Code);

    [Fact]
    public void Doctype_line_of_real_files_is_accepted()
        => Assert.NotNull(Loads("""<variant id="A" name="A" type="variant"><arches><arch>x86_64</arch></arches></variant>"""));
}
