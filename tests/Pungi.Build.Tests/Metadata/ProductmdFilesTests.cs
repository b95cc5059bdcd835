using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Tests.Compose;
using Xunit;

namespace Pungi.Build.Tests.Metadata;

/// <summary>rpms.json (spec §6.2, productmd Rpms.add).</summary>
public class RpmsJsonTests
{
    private static readonly ComposeHeader Header = new("Fedora-41-20261127.n.0", "nightly", "20261127", 0);

    private static string Fixture(string name) => File.ReadAllText(Path.Combine(MetadataFixtures.Dir, name));

    private static RpmsJson SpecExample()
    {
        var r = new RpmsJson(Header);
        const string srpm = "bash-0:5.2.26-3.fc41.src";
        r.Add("Server", "x86_64", "bash-debuginfo-0:5.2.26-3.fc41.x86_64", "Server/x86_64/debug/tree/Packages/b/bash-debuginfo-5.2.26-3.fc41.x86_64.rpm", "A15B79CC", "debug", srpm);
        r.Add("Server", "x86_64", "bash-0:5.2.26-3.fc41.x86_64", "Server/x86_64/os/Packages/b/bash-5.2.26-3.fc41.x86_64.rpm", "a15b79cc", "binary", srpm);
        r.Add("Server", "x86_64", srpm, "Server/source/tree/Packages/b/bash-5.2.26-3.fc41.src.rpm", "a15b79cc", "source");
        return r;
    }

    [Fact]
    public void Spec_example_exact_bytes_with_sigkey_lowercased()
    {
        // Expected: the spec's §6.2 JSON dumped with Python's json.dump(indent=4, sort_keys=True, separators=(",", ": ")).
        Assert.Equal(Fixture("rpms-spec-6.2.json"), SpecExample().Serialize());
    }

    [Fact]
    public void Streamed_write_equals_serialize_and_round_trips()
    {
        using var tmp = new TempDir();
        var p = Path.Combine(tmp.Path, "compose", "metadata", "rpms.json");
        Assert.True(SpecExample().Write(p));
        Assert.False(SpecExample().Write(p));
        Assert.Equal(Fixture("rpms-spec-6.2.json"), File.ReadAllText(p));
        Assert.Equal(Fixture("rpms-spec-6.2.json"), RpmsJson.Read(p).Serialize());
    }

    [Fact]
    public void Labelled_compose_adds_label_and_final()
    {
        var r = new RpmsJson(Header with { Label = "RC-1.0", Final = true });
        Assert.Contains("\"date\": \"20261127\",\n            \"final\": true,\n            \"id\": \"Fedora-41-20261127.n.0\",\n            \"label\": \"RC-1.0\",", r.Serialize(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("src", "a-0:1-1.x86_64", "binary", "a-0:1-1.src")] // source arch as a tree arch
    [InlineData("x86_65", "a-0:1-1.x86_64", "binary", "a-0:1-1.src")] // unknown arch
    [InlineData("x86_64", "a-1-1.x86_64", "binary", "a-0:1-1.src")] // no epoch
    [InlineData("x86_64", "a-0:1-1.x86_64", "devel", "a-0:1-1.src")] // unknown category
    [InlineData("x86_64", "a-0:1-1.x86_64", "binary", null)] // binary without srpm
    [InlineData("x86_64", "a-0:1-1.src", "source", "a-0:1-1.src")] // source with srpm
    [InlineData("x86_64", "a-0:1-1.x86_64", "source", null)] // source with a binary arch
    public void Productmd_add_rules_are_PUNGI7003(string arch, string nevra, string category, string? srpm)
        => Assert.Equal(ErrorCodes.MetadataInvalid,
            Assert.Throws<PungiException>(() => new RpmsJson(Header).Add("Server", arch, nevra, "p.rpm", null, category, srpm)).Code);

    [Fact]
    public void Absolute_path_is_rejected()
        => Assert.Throws<PungiException>(() => new RpmsJson(Header).Add("S", "x86_64", "a-0:1-1.src", "/abs.rpm", null, "source"));
}

/// <summary>images.json (spec §6.3, productmd Images).</summary>
public class ImagesJsonTests
{
    private static readonly ComposeHeader Header = new("DP-1.0-20160602.t.0", "test", "20160602", 0);

    private static ImageEntry Iso(string path, string sha = "aa", string arch = "x86_64", int disc = 1) => new()
    {
        Path = path, Type = "dvd", Format = "iso", Arch = arch, DiscNumber = disc, Checksums = new Dictionary<string, string> { ["sha256"] = sha },
        Subvariant = "Server", Size = 1, Mtime = 2,
    };

    [Fact]
    public void Productmd_1_1_source_images_move_under_binary_arches_exactly_like_productmd_1_2_output()
    {
        // src_move_before.json (1.1, source ISO under "src") → src_move_after.json (productmd's own 1.2 dump).
        var before = ImagesJson.Read(Path.Combine(MetadataFixtures.Samples, "images", "src_move_before.json"));
        var after = File.ReadAllText(Path.Combine(MetadataFixtures.Samples, "images", "src_move_after.json"));
        Assert.Equal(after, before.Serialize());
        Assert.Equal(after, ImagesJson.Parse(after).Serialize());
    }

    [Fact]
    public void Older_samples_read_semantically()
    {
        // f23.json is a 1.1 file written by Python 2 (", " item separators): values survive, format becomes 1.2.
        var f23 = ImagesJson.Read(Path.Combine(MetadataFixtures.Samples, "images", "f23.json"));
        Assert.Equal("Fedora-23-20151030.0", f23.Compose.Id);
        var live = f23.Images["Live"]["x86_64"].Single(i => i.Path == "Live/x86_64/iso/Fedora-Live-KDE-x86_64-23-10.iso");
        Assert.Equal(("live", "iso", 1291845632L, "KDE", "8bc179ecdd48e0b019365104f081a83e"), (live.Type, live.Format, live.Size, live.Subvariant, live.ImplantMd5));
        var again = ImagesJson.Parse(f23.Serialize());
        Assert.Equal(f23.Serialize(), again.Serialize());
        var f20 = ImagesJson.Read(Path.Combine(MetadataFixtures.Samples, "images", "f20.json"));
        Assert.Equal("Fedora-20-20131212.0", f20.Compose.Id);
    }

    [Fact]
    public void Lists_are_sorted_by_path_and_unified_keys_only_when_unified()
    {
        var images = new ImagesJson(Header);
        images.Add("Server", "x86_64", Iso("Server/x86_64/iso/b.iso", disc: 2));
        images.Add("Server", "x86_64", Iso("Server/x86_64/iso/a.iso") with { Unified = true, AdditionalVariants = ["Client"] });
        var text = images.Serialize();
        Assert.True(text.IndexOf("a.iso", StringComparison.Ordinal) < text.IndexOf("b.iso", StringComparison.Ordinal));
        Assert.Equal(1, text.Split("\"unified\": true").Length - 1);
        Assert.Contains("\"additional_variants\": [\n                            \"Client\"\n                        ],", text, StringComparison.Ordinal);
        Assert.Contains("\"implant_md5\": null,", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_rules_are_PUNGI7003()
    {
        var images = new ImagesJson(Header);
        images.Add("Server", "x86_64", Iso("Server/x86_64/iso/a.iso", "aa"));
        void Bad(string arch, ImageEntry i) => Assert.Equal(ErrorCodes.MetadataInvalid, Assert.Throws<PungiException>(() => images.Add("Server", arch, i)).Code);
        Bad("x86_64", Iso("Server/x86_64/iso/b.iso", "bb")); // same identity, other checksum
        Bad("src", Iso("Server/source/iso/s.iso", arch: "src"));
        Bad("x86_64", Iso("x.iso") with { Type = "floppy" });
        Bad("x86_64", Iso("x.iso") with { Format = "img" });
        Bad("x86_64", Iso("x.iso") with { ImplantMd5 = "ABC" });
        Bad("x86_64", Iso("x.iso") with { Checksums = new Dictionary<string, string>() });
        Bad("x86_64", Iso("/abs/x.iso", disc: 3));
        Bad("x86_64", Iso("x.iso", disc: 4) with { AdditionalVariants = ["Client"] });
        images.Add("Server", "x86_64", Iso("Server/source/iso/s.iso", "cc", arch: "src")); // source image under a binary arch
    }
}

/// <summary>extra_files.json, global and per tree (spec §6.5).</summary>
public class ExtraFilesJsonTests
{
    [Fact]
    public void Global_spec_example_exact_bytes()
    {
        var x = new ExtraFilesJson(new ComposeHeader("Fedora-41-20261127.n.0", "nightly", "20261127", 0));
        x.Add("Server", "x86_64", new ExtraFileEntry("Server/x86_64/os/GPL", 18092,
            new Dictionary<string, string> { ["sha256"] = "…", ["md5"] = "…", ["sha1"] = "…" }));
        var expected = File.ReadAllText(Path.Combine(MetadataFixtures.Dir, "extra_files-spec-6.5.json"));
        Assert.Equal(expected, x.Serialize());
        Assert.Equal(expected, ExtraFilesJson.Parse(expected).Serialize());
    }

    [Fact]
    public void Per_tree_format_exact_bytes_and_src_arch_allowed_globally()
    {
        var expected = File.ReadAllText(Path.Combine(MetadataFixtures.Dir, "tree-extra_files-spec-6.5.json"));
        Assert.Equal(expected, ExtraFilesJson.SerializeTree([new ExtraFileEntry("GPL", 18092, new Dictionary<string, string> { ["sha256"] = "8177f975" })]));
        Assert.Equal("GPL", ExtraFilesJson.ParseTree(expected).Single().File);
        var x = new ExtraFilesJson(new ComposeHeader("a-1-20260101.0", "production", "20260101", 0));
        x.Add("Server", "src", new ExtraFileEntry("Server/source/tree/GPL", 1, new Dictionary<string, string> { ["md5"] = "x" }));
        Assert.Throws<PungiException>(() => x.Add("Server", "x86_64", new ExtraFileEntry("/abs", 1, new Dictionary<string, string> { ["md5"] = "x" })));
    }

    [Fact]
    public void Entries_keep_insertion_order()
    {
        var x = new ExtraFilesJson(new ComposeHeader("a-1-20260101.0", "production", "20260101", 0));
        x.Add("S", "x86_64", new ExtraFileEntry("S/x86_64/os/z", 1, new Dictionary<string, string> { ["md5"] = "1" }));
        x.Add("S", "x86_64", new ExtraFileEntry("S/x86_64/os/a", 1, new Dictionary<string, string> { ["md5"] = "2" }));
        var text = x.Serialize();
        Assert.True(text.IndexOf("os/z", StringComparison.Ordinal) < text.IndexOf("os/a", StringComparison.Ordinal));
    }
}
