using Pungi.Build.Diagnostics;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Variants;

/// <summary>Inline Variant items feed the same model and validation as variants.xml (DESIGN.md §3).</summary>
public class InlineVariantTests
{
    private static InlineVariant V(string include, string type = "variant", string arches = "x86_64", string? parent = null, int line = 1)
        => new() { Include = include, Type = type, Arches = arches.Split(';', StringSplitOptions.RemoveEmptyEntries), Parent = parent, File = "p.composeproj", Line = line };

    [Fact]
    public void Builds_the_same_tree_as_xml()
    {
        var m = VariantModel.FromInline(
        [
            V("Server-optional", "optional", "x86_64;s390x", "Server", 3),
            V("Server", "variant", "x86_64;s390x", line: 2),
            V("HA", "addon", "x86_64", "Server", 4),
            V("Client", line: 5) with { HasOptional = true },
        ]);
        Assert.Equal(["Client", "Server", "Server-HA", "Client-optional", "Server-optional"], m.All.Select(v => v.Uid));
        Assert.Equal(["Server", "Client"], m.TopLevel.Select(v => v.Uid));
        Assert.Equal("HA", m.Find("Server-HA")!.Id);
        Assert.Equal("Server", m.Find("Server")!.Name); // Name defaults to the id
        Assert.Equal(["s390x", "x86_64"], m.Find("Server-optional")!.Arches);
        Assert.Equal(3, m.Find("Server-optional")!.Line);
    }

    [Fact]
    public void Addon_without_parent_is_PUNGI1028_with_item_position()
    {
        var ex = Assert.Throws<PungiException>(() => VariantModel.FromInline([V("HA", "addon", line: 12)]));
        Assert.Equal(ErrorCodes.VariantChildWithoutParent, ex.Code);
        Assert.Equal(("p.composeproj", 12), (ex.File, ex.Line));
    }

    [Fact]
    public void Unknown_parent_is_PUNGI1036()
        => Assert.Equal(ErrorCodes.VariantUnknownParent,
            Assert.Throws<PungiException>(() => VariantModel.FromInline([V("HA", "addon", parent: "Srv")])).Code);

    [Fact]
    public void Duplicate_is_PUNGI1027()
        => Assert.Equal(ErrorCodes.VariantDuplicateUid,
            Assert.Throws<PungiException>(() => VariantModel.FromInline([V("Server", line: 1), V("Server", line: 2)])).Code);

    [Fact]
    public void Optional_of_optional_is_PUNGI1029()
        => Assert.Equal(ErrorCodes.VariantChildOfNonVariant, Assert.Throws<PungiException>(() => VariantModel.FromInline(
            [V("Server"), V("optional", "optional", parent: "Server"), V("opt2", "optional", parent: "Server-optional")])).Code);

    [Fact]
    public void Unknown_arch_and_empty_arches()
    {
        Assert.Equal(ErrorCodes.VariantUnknownArch, Assert.Throws<PungiException>(() => VariantModel.FromInline([V("Server", arches: "x86_64;amd65")])).Code);
        Assert.Equal(ErrorCodes.VariantNoArches, Assert.Throws<PungiException>(() => VariantModel.FromInline([V("Server", arches: "")])).Code);
    }

    [Fact]
    public void Unknown_type_is_PUNGI1033()
        => Assert.Equal(ErrorCodes.VariantUnknownType, Assert.Throws<PungiException>(() => VariantModel.FromInline([V("Server", "Variant")])).Code);
}

/// <summary>Pungi's config lookup helpers, spec §1.7 (pungi/util.py).</summary>
public class ConfigLookupTests
{
    [Theory]
    [InlineData("^Server$", "Server", true)]
    [InlineData("^Server$", "Server-optional", false)]
    [InlineData("Server", "Server-optional", true)] // re.match: anchored at the start only
    [InlineData("optional", "Server-optional", false)] // ... so it must match from the start
    [InlineData(".*-optional", "Server-optional", true)]
    [InlineData("^.*$", "Client", true)]
    [InlineData("(?P<v>Ser)ver", "Server", true)] // Python named-group syntax
    public void Variant_regex_matches_as_python_re_match(string pattern, string uid, bool expected)
        => Assert.Equal(expected, ConfigLookup.PythonReMatch(pattern, uid));

    [Fact]
    public void Arch_variant_data_in_order_and_star_never_matches_src()
    {
        VariantArchValue<string>[] conf =
        [
            new("^Server$", "*", "a"),
            new("^Server", "x86_64", "b"),
            new("^Client$", "*", "c"),
            new("^.*$", "src", "d"),
        ];
        Assert.Equal(["a", "b"], ConfigLookup.GetArchVariantData(conf, "x86_64", "Server"));
        Assert.Equal(["b"], ConfigLookup.GetArchVariantData(conf, "x86_64", "Server-optional"));
        Assert.Equal(["d"], ConfigLookup.GetArchVariantData(conf, "src", "Server"));
        Assert.Equal(["a", "c"], ConfigLookup.GetArchVariantData(conf, "s390x", null)); // no variant: every entry
    }

    [Fact]
    public void Variant_data_and_arch_data()
    {
        Assert.Equal([1, 3], ConfigLookup.GetVariantData([("^Server", 1), ("^Client$", 2), (".*", 3)], "Server-HA"));
        Assert.Equal(["x", "y"], ConfigLookup.GetArchData([("*", "x"), ("x86_64", "y"), ("i386", "z")], "x86_64"));
        Assert.Empty(ConfigLookup.GetArchData([("*", "x")], "src"));
    }

    [Fact]
    public void Bad_pattern_is_PUNGI1010()
        => Assert.Equal(ErrorCodes.BadVariantPattern, Assert.Throws<PungiException>(() => ConfigLookup.PythonReMatch("(Server", "Server")).Code);

    [Theory]
    [InlineData("/mnt/koji/compose/x", "http://kojipkgs/compose/x")]
    [InlineData("/mnt/koji/./compose/../y", "http://kojipkgs/y")]
    [InlineData("/srv/other", "/srv/other")]
    public void Translate_path(string path, string expected)
        => Assert.Equal(expected, ConfigLookup.TranslatePath(path, [("/mnt/koji", "http://kojipkgs/"), ("/mnt", "http://never")]));

    [Theory]
    [InlineData("a/../../b", "../b")]
    [InlineData("/../a", "/a")]
    [InlineData("", ".")]
    [InlineData("a/b/..", "a")]
    [InlineData("//a//b/", "//a/b")]
    public void Normpath_like_posixpath(string path, string expected) => Assert.Equal(expected, ConfigLookup.NormPath(path));
}
