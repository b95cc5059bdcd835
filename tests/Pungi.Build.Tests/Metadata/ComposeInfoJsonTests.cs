using System.Text;
using System.Text.Json.Nodes;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Tests.Compose;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Metadata;

internal static class MetadataFixtures
{
    public static string Dir => Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "Metadata", "Fixtures");
    public static string Samples => Path.Combine(TestPaths.Shared, "reference", "productmd", "samples");
}

public class ProductmdJsonTests
{
    [Fact]
    public void Python_json_dump_format_indent4_sorted_keys_ensure_ascii()
    {
        var node = new JsonObject
        {
            ["b"] = new JsonArray(1, 2),
            ["a"] = "é\"\\\n\u007f/",
            ["B"] = new JsonObject(),
            ["c"] = new JsonArray(),
            ["d"] = null,
            ["e"] = true,
        };
        // Expected text written by hand from Python's json.dump(indent=4, sort_keys=True, separators=(",", ": ")):
        // uppercase sorts before lowercase, empty containers inline, non-ASCII and DEL escaped, '/' not escaped.
        const string expected = "{\n    \"B\": {},\n    \"a\": \"\\u00e9\\\"\\\\\\n\\u007f/\",\n    \"b\": [\n        1,\n        2\n    ],\n    \"c\": [],\n    \"d\": null,\n    \"e\": true\n}";
        Assert.Equal(expected, ProductmdJson.Serialize(node));
    }

    [Fact]
    public void Astral_characters_become_surrogate_pair_escapes()
        => Assert.Equal("\"\\ud83d\\ude00\"", ProductmdJson.Serialize(JsonValue.Create("\U0001F600")));

    [Fact]
    public void Images_1_2_sample_round_trips_byte_for_byte()
    {
        // src_move_after.json is productmd's own 1.2 serialization: parse then dump gives the same bytes.
        var text = File.ReadAllText(Path.Combine(MetadataFixtures.Samples, "images", "src_move_after.json"));
        Assert.Equal(text.TrimEnd('\n'), ProductmdJson.Serialize(ProductmdJson.Parse(text, null)));
    }

    [Fact]
    public void Newer_header_version_is_PUNGI7004()
    {
        var root = ProductmdJson.Parse("""{"header": {"type": "productmd.images", "version": "1.3"}, "payload": {}}""", "x.json");
        Assert.Equal(ErrorCodes.UnsupportedMetadataVersion, Assert.Throws<PungiException>(() => ProductmdJson.ReadHeader(root, "productmd.images", "x.json")).Code);
    }

    [Fact]
    public void Not_json_is_PUNGI7002_with_line()
    {
        var ex = Assert.Throws<PungiException>(() => ProductmdJson.Parse("{\n  \"a\": ,\n}", "x.json"));
        Assert.Equal(ErrorCodes.MetadataMalformed, ex.Code);
        Assert.Equal(2, ex.Line);
    }
}

public class ComposeInfoJsonTests
{
    private static readonly ComposeInfo Fedora41 = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "41"), null, "nightly", "20261127");

    private static VariantModel ServerWithHa() => VariantModel.FromInline(
    [
        new InlineVariant { Include = "Server", Arches = ["x86_64"] },
        new InlineVariant { Include = "Server-HA", Parent = "Server", Type = "addon", Name = "High Availability", Arches = ["x86_64"] },
    ]);

    [Fact]
    public void Spec_6_1_example_exact_bytes()
    {
        using var tmp = new TempDir();
        var layout = new ComposeLayout(tmp.Path);
        foreach (var d in new[]
                 {
                     "Server/x86_64/os/Packages", "Server/x86_64/debug/tree/Packages", "Server/source/tree/Packages",
                     "Server/x86_64/iso", "Server/source/iso",
                 })
            Directory.CreateDirectory(Path.Combine(layout.ComposeDir, d));
        var doc = ComposeInfoJson.FromCompose(Fedora41, ServerWithHa(), layout);
        var path = layout.Metadata("composeinfo.json");
        Assert.True(ComposeInfoJson.Write(path, doc));
        // The expected file is the spec's §6.1 JSON dumped by Python's json.dump(indent=4, sort_keys=True,
        // separators=(",", ": ")) — productmd's own call — not by our code.
        Assert.Equal(File.ReadAllText(Path.Combine(MetadataFixtures.Dir, "composeinfo-spec-6.1.json")), File.ReadAllText(path));
        Assert.False(ComposeInfoJson.Write(path, doc)); // unchanged content is not rewritten
    }

    [Fact]
    public void Top_level_paths_are_dropped_when_missing_children_keep_theirs()
    {
        using var tmp = new TempDir();
        var layout = new ComposeLayout(tmp.Path);
        var doc = ComposeInfoJson.FromCompose(Fedora41, ServerWithHa(), layout);
        var server = doc.Variants.Single(v => v.Uid == "Server");
        var ha = doc.Variants.Single(v => v.Uid == "Server-HA");
        Assert.Empty(server.Paths);
        Assert.Equal(["debug_packages", "debug_repository", "debug_tree", "os_tree", "packages", "repository", "source_packages", "source_repository", "source_tree"],
            ha.Paths.Keys.Order(StringComparer.Ordinal));
        var json = ComposeInfoJson.Serialize(doc);
        Assert.Contains("\"paths\": {},", json, StringComparison.Ordinal);
        Assert.Contains("\"variants\": [\n                    \"HA\"\n                ]", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Label_adds_label_and_final_layered_adds_base_product_and_is_layered()
    {
        var ci = ComposeInfo.Create(new ReleaseInfo("Really Cool Product", "MYPRODUCT", "2.1"), new ReleaseInfo("Red Hat Enterprise Linux", "RHEL", "7"),
            "test", "20161110", label: "RC-1.0");
        var root = ComposeInfoJson.ToJson(ComposeInfoJson.Base(ci));
        var payload = root["payload"]!;
        Assert.Equal("RC-1.0", (string?)payload["compose"]!["label"]);
        Assert.True((bool)payload["compose"]!["final"]!);
        Assert.True((bool)payload["release"]!["is_layered"]!);
        Assert.Equal("RHEL", (string?)payload["base_product"]!["short"]);
        Assert.Equal("MYPRODUCT-2.1-RHEL-7-20161110.t.0", (string?)payload["compose"]!["id"]);
        var unlabelled = ComposeInfoJson.ToJson(ComposeInfoJson.Base(Fedora41))["payload"]!;
        Assert.Null(unlabelled["compose"]!["label"]);
        Assert.Null(unlabelled["compose"]!["final"]);
        Assert.Null(unlabelled["release"]!["is_layered"]);
        Assert.Null(unlabelled["base_product"]);
    }

    [Fact]
    public void Layered_product_variant_carries_its_release_and_dashless_top_level_id()
    {
        var model = VariantModel.FromInline(
        [
            new InlineVariant { Include = "Foo-Tools", Arches = ["x86_64"] },
            new InlineVariant { Include = "Gluster", Parent = "Foo-Tools", Type = "layered-product", Arches = ["x86_64"], Release = new("Gluster", "Gluster", "2.3") },
        ]);
        using var tmp = new TempDir();
        var root = ComposeInfoJson.ToJson(ComposeInfoJson.FromCompose(Fedora41, model, new ComposeLayout(tmp.Path)));
        var variants = root["payload"]!["variants"]!;
        Assert.Equal("FooTools", (string?)variants["Foo-Tools"]!["id"]);
        var lp = variants["Foo-Tools-Gluster"]!;
        Assert.Equal("layered-product", (string?)lp["type"]);
        Assert.Equal("2.3", (string?)lp["release"]!["version"]);
        Assert.True((bool)lp["release"]!["is_layered"]!);
    }

    [Fact]
    public void Reads_spec_output_back()
    {
        var doc = ComposeInfoJson.Read(Path.Combine(MetadataFixtures.Dir, "composeinfo-spec-6.1.json"));
        Assert.Equal(Fedora41, doc.Compose);
        Assert.Equal(["Server", "Server-HA"], doc.Variants.Select(v => v.Uid));
        Assert.Equal("Server/x86_64/os/addons/HA", doc.Variants[1].Paths["repository"]["x86_64"]);
        // parse → write gives the same bytes
        Assert.Equal(File.ReadAllText(Path.Combine(MetadataFixtures.Dir, "composeinfo-spec-6.1.json")), ComposeInfoJson.Serialize(doc));
    }

    [Theory]
    [InlineData("compose/compose/metadata/composeinfo.json")]
    [InlineData("compose-legacy/1.0/metadata/composeinfo.json")]
    public void Old_productmd_samples_up_convert_semantically(string sample)
    {
        // These are productmd 0.3/0.2 files ("product" instead of "release", no header type): productmd reads them
        // and writes 1.2; we compare the values, not the bytes.
        var doc = ComposeInfoJson.Read(Path.Combine(MetadataFixtures.Samples, sample));
        Assert.Equal("MYPRODUCT-2.1-RHEL-7-20161110.t.0", doc.Compose.Id);
        Assert.Equal(new ReleaseInfo("Really Cool Product", "MYPRODUCT", "2.1"), doc.Compose.Release);
        Assert.Equal(new ReleaseInfo("Red Hat Enterprise Linux", "RHEL", "7"), doc.Compose.BaseProduct);
        Assert.Equal("test", doc.Compose.Type);
        // The id productmd would create from these values is the id in the file.
        Assert.Equal(doc.Compose.Id, ComposeId.Create(doc.Compose.Release, doc.Compose.BaseProduct, doc.Compose.Type, doc.Compose.Date, doc.Compose.Respin));
        var again = ComposeInfoJson.Parse(ComposeInfoJson.Serialize(doc));
        Assert.Equal(doc.Compose, again.Compose);
        Assert.Equal(doc.Variants.Select(v => (v.Uid, v.Id, v.Name, v.Type, string.Join(",", v.Arches))),
            again.Variants.Select(v => (v.Uid, v.Id, v.Name, v.Type, string.Join(",", v.Arches))));
        Assert.Contains("\"version\": \"1.2\"", ComposeInfoJson.Serialize(doc), StringComparison.Ordinal);
    }
}
