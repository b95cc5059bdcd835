using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Tests.Compose;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Metadata;

/// <summary>.treeinfo per spec §6.7 (productmd treeinfo 1.2, SortedConfigParser) against productmd's samples.</summary>
public class TreeInfoTests
{
    private static string Samples => Path.Combine(MetadataFixtures.Samples, "treeinfo");

    private static string WithoutWarnings(string text)
        => string.Join('\n', text.Split('\n').Where(l => !l.StartsWith("; WARNING.", StringComparison.Ordinal)));

    public static TheoryData<string> ProductmdWritten => new() { "RHEL-8-BETA.x86_64", "RHEL-8-BETA.aarch64", "RHEL-8-BETA.ppc64le", "RHEL-8-BETA.s390x", "RHEL-7-Server-optional.x86_64", "multivariants_treeinfo" };

    [Theory]
    [MemberData(nameof(ProductmdWritten))]
    public void Ini_layer_round_trips_productmd_files_byte_for_byte(string sample)
    {
        // ConfigParser ends every section with a blank line; the RHEL samples were stored without the last one.
        // "; WARNING" lines are comments to ConfigParser, so reading drops them.
        var text = File.ReadAllText(Path.Combine(Samples, sample));
        if (!text.EndsWith("\n\n", StringComparison.Ordinal))
            text += "\n";
        Assert.Equal(WithoutWarnings(text), IniFile.Parse(text, sample).Serialize());
    }

    [Fact]
    public void Typed_round_trip_of_current_productmd_output_is_byte_equal()
    {
        // multivariants_treeinfo is productmd's test output (dump with main_variant=BaseOS): [general] and its
        // "; WARNING" lines are regenerated from the rest, byte for byte.
        var text = File.ReadAllText(Path.Combine(Samples, "multivariants_treeinfo"));
        var ti = TreeInfo.Parse(text);
        ti.MainVariant = "BaseOS";
        Assert.Equal(text, ti.Serialize());
    }

    [Fact]
    public void Typed_round_trip_of_older_productmd_output_differs_only_by_warnings()
    {
        // Written by a productmd without the two "; WARNING" lines (and stored without the final blank line);
        // everything else, including the derived [general] section, comes out identical.
        var text = File.ReadAllText(Path.Combine(Samples, "RHEL-7-Server-optional.x86_64"));
        var ti = TreeInfo.Parse(text);
        Assert.Equal(text + "\n", WithoutWarnings(ti.Serialize()));
    }

    [Fact]
    public void Rhel8_sample_reads_semantically()
    {
        // Its [general] repository ("AppStream") is not derivable from the rest: productmd ignores [general] on read.
        var ti = TreeInfo.Read(Path.Combine(Samples, "RHEL-8-BETA.x86_64"));
        Assert.Equal(("Red Hat Enterprise Linux", "RHEL", "8.0", "x86_64", 1542400051L), (ti.ReleaseName, ti.ReleaseShort, ti.ReleaseVersion, ti.Arch, ti.BuildTimestamp));
        Assert.Equal(["x86_64", "xen"], ti.Platforms);
        Assert.Equal(["AppStream", "BaseOS"], ti.Variants.Select(v => v.Uid));
        Assert.Equal("../../appstream/x86_64/", ti.Variants[0].Repository);
        var again = TreeInfo.Parse(ti.Serialize());
        Assert.Equal(ti.Serialize(), again.Serialize());
    }

    [Fact]
    public void Every_historic_fedora_treeinfo_parses()
    {
        var files = Directory.GetFiles(Samples, "fedora-*");
        Assert.True(files.Length >= 60);
        foreach (var f in files)
        {
            var text = File.ReadAllText(f);
            var ini = IniFile.Parse(text, f);
            Assert.Equal(ini.Serialize(), IniFile.Parse(ini.Serialize()).Serialize());
            var ti = TreeInfo.Parse(text, f);
            Assert.False(string.IsNullOrEmpty(ti.Arch), f);
        }
        var f21 = TreeInfo.Read(Path.Combine(Samples, "fedora-21-Server.x86_64"));
        Assert.Equal(1417653911, f21.BuildTimestamp); // int(float("1417653911.68"))
        Assert.Equal("LiveOS/squashfs.img", f21.Stage2MainImage);
        Assert.Equal(("sha256", "81c28a439f1d23786057d3b57db66e00b2b1a39b64d54de1a90cf2617e53c986"), f21.Checksums["images/pxeboot/vmlinuz"]);
        Assert.Equal(["x86_64", "xen"], f21.Platforms);
    }

    [Fact]
    public void Duplicate_key_or_key_before_section_is_PUNGI7005()
    {
        Assert.Equal(ErrorCodes.TreeinfoMalformed, Assert.Throws<PungiException>(() => IniFile.Parse("[a]\nx = 1\nx = 2\n")).Code);
        var ex = Assert.Throws<PungiException>(() => IniFile.Parse("\nx = 1\n", "t"));
        Assert.Equal((ErrorCodes.TreeinfoMalformed, 2), (ex.Code, ex.Line));
    }

    private static VariantModel ServerWithHa() => VariantModel.FromInline(
    [
        new InlineVariant { Include = "Server", Arches = ["x86_64"] },
        new InlineVariant { Include = "Server-HA", Parent = "Server", Type = "addon", Name = "High Availability", Arches = ["x86_64"] },
    ]);

    [Fact]
    public void Pungi_tree_for_server_with_addon_spec_6_7_exact()
    {
        var compose = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "41"), null, "nightly", "20261127");
        var model = ServerWithHa();
        var layout = new ComposeLayout("/mnt/c");
        var ti = TreeInfo.ForVariant(compose, model.Find("Server")!, "x86_64", layout, 1732700000);
        var lorax = TreeInfo.Parse("""
            [general]
            family = Fedora
            version = 41
            arch = x86_64
            timestamp = 1732699000.5

            [stage2]
            mainimage = images/install.img

            [images-x86_64]
            kernel = images/pxeboot/vmlinuz
            initrd = images/pxeboot/initrd.img
            boot.iso = images/boot.iso
            efiboot.img = images/efiboot.img

            [images-xen]
            kernel = images/pxeboot/vmlinuz
            initrd = images/pxeboot/initrd.img
            upgrade =
            """);
        ti.MergeBuildinstall(lorax);
        foreach (var p in new[] { "images/boot.iso", "images/efiboot.img", "images/install.img", "images/pxeboot/initrd.img", "images/pxeboot/vmlinuz" })
            ti.Checksums[p] = ("sha256", "…");
        // Expected: spec §6.7's example with sections and keys sorted, as the spec says productmd writes it.
        const string expected = """
            [addon-Server-HA]
            id = HA
            name = High Availability
            packages = addons/HA
            parent = Server
            repository = addons/HA
            type = addon
            uid = Server-HA

            [checksums]
            images/boot.iso = sha256:…
            images/efiboot.img = sha256:…
            images/install.img = sha256:…
            images/pxeboot/initrd.img = sha256:…
            images/pxeboot/vmlinuz = sha256:…

            [general]
            ; WARNING.0 = This section provides compatibility with pre-productmd treeinfos.
            ; WARNING.1 = Read productmd documentation for details about new format.
            arch = x86_64
            family = Fedora
            name = Fedora 41
            packagedir = Packages
            platforms = x86_64,xen
            repository = .
            timestamp = 1732700000
            variant = Server
            variants = Server
            version = 41

            [header]
            type = productmd.treeinfo
            version = 1.2

            [images-x86_64]
            boot.iso = images/boot.iso
            efiboot.img = images/efiboot.img
            initrd = images/pxeboot/initrd.img
            kernel = images/pxeboot/vmlinuz

            [images-xen]
            initrd = images/pxeboot/initrd.img
            kernel = images/pxeboot/vmlinuz

            [release]
            name = Fedora
            short = Fedora
            version = 41

            [stage2]
            mainimage = images/install.img

            [tree]
            arch = x86_64
            build_timestamp = 1732700000
            platforms = x86_64,xen
            variants = Server

            [variant-Server]
            addons = Server-HA
            id = Server
            name = Server
            packages = Packages
            repository = .
            type = variant
            uid = Server


            """;
        Assert.Equal(expected.ReplaceLineEndings("\n"), ti.Serialize());
    }

    [Fact]
    public void Source_tree_and_layered_compose()
    {
        var compose = ComposeInfo.Create(new ReleaseInfo("Prod", "P", "2.1"), new ReleaseInfo("Base", "B", "7"), "test", "20261127");
        var ti = TreeInfo.ForVariant(compose, ServerWithHa().Find("Server")!, "src", new ComposeLayout("/mnt/c"), 5, treeinfoVersion: "2");
        var ini = ti.ToIni();
        Assert.Equal("src", ini.Get("tree", "arch"));
        Assert.Equal("2", ini.Get("release", "version")); // treeinfo_version wins
        Assert.Equal("true", ini.Get("release", "is_layered"));
        Assert.Equal("B", ini.Get("base_product", "short"));
        Assert.Equal("Packages", ini.Get("variant-Server", "packages"));
        Assert.Equal(".", ini.Get("variant-Server", "repository"));
        Assert.Equal("addons/HA", ini.Get("addon-Server-HA", "repository"));
        Assert.Equal("src", ini.Get("tree", "platforms"));
        Assert.Throws<ArgumentException>(() => TreeInfo.ForVariant(compose, ServerWithHa().Find("Server-HA")!, "x86_64", new ComposeLayout("/mnt/c"), 5));
    }

    [Fact]
    public void Layered_product_variant_uses_its_release_and_base_major_version()
    {
        var compose = ComposeInfo.Create(new ReleaseInfo("RHEL", "RHEL", "7.4"), null, "test", "20261127");
        var model = VariantModel.FromInline(
        [
            new InlineVariant { Include = "Server", Arches = ["x86_64"] },
            new InlineVariant { Include = "Gluster", Parent = "Server", Type = "layered-product", Arches = ["x86_64"], Release = new("Gluster", "Gluster", "2.3") },
        ]);
        var ini = TreeInfo.ForVariant(compose, model.Find("Server-Gluster")!, "x86_64", new ComposeLayout("/mnt/c"), 5).ToIni();
        Assert.Equal(("Gluster", "2.3", "true"), (ini.Get("release", "name"), ini.Get("release", "version"), ini.Get("release", "is_layered")));
        Assert.Equal(("RHEL", "7"), (ini.Get("base_product", "short"), ini.Get("base_product", "version")));
        // Upstream write_tree_info: the layered product's tree presents itself as the parent variant (§6.7).
        Assert.False(ini.HasSection("variant-Server-Gluster"));
        Assert.Equal(("Server", "Server", "Server", "variant"),
            (ini.Get("variant-Server", "id"), ini.Get("variant-Server", "uid"), ini.Get("variant-Server", "name"), ini.Get("variant-Server", "type")));
        Assert.Equal("Server", ini.Get("tree", "variants"));
    }

    [Fact]
    public void Checksums_are_streamed_digests_of_existing_images()
    {
        using var tmp = new TempDir();
        tmp.File("images/boot.iso", "abc");
        var ti = new TreeInfo();
        ti.Images["x86_64"] = new(StringComparer.Ordinal) { ["boot.iso"] = "images/boot.iso", ["kernel"] = "images/missing" };
        ti.AddChecksums(tmp.Path);
        // SHA-256("abc") from FIPS 180-2's test vectors.
        Assert.Equal(("sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), ti.Checksums["images/boot.iso"]);
        Assert.False(ti.Checksums.ContainsKey("images/missing"));
    }
}

/// <summary>.discinfo and media.repo (spec §6.8, §6.9).</summary>
public class DiscInfoTests
{
    private static string Samples => Path.Combine(MetadataFixtures.Samples, "discinfo");

    [Fact]
    public void All_historic_samples_parse_and_four_line_ones_round_trip()
    {
        var files = Directory.GetFiles(Samples);
        Assert.True(files.Length >= 70);
        var roundTripped = 0;
        foreach (var f in files)
        {
            var text = File.ReadAllText(f);
            var di = DiscInfo.Parse(text, f);
            Assert.False(string.IsNullOrEmpty(di.Arch), f);
            if (text.EndsWith('\n') && text.Count(c => c == '\n') <= 4)
            {
                Assert.Equal(text, di.Serialize());
                roundTripped++;
            }
        }
        Assert.True(roundTripped > 50);
        var f21 = DiscInfo.Read(Path.Combine(Samples, "fedora-21-Server.x86_64"));
        Assert.Equal(new DiscInfo("1417653453.026288", "Fedora-Server 21", "x86_64", null), f21);
        Assert.Equal("1,2,3", DiscInfo.Read(Path.Combine(Samples, "fedora-1.x86_64")).DiscNumbers);
    }

    [Fact]
    public void Pungi_tree_discinfo_and_media_repo_spec_example()
    {
        var di = new DiscInfo("1732700000.123456", "Fedora 41", "x86_64");
        Assert.Equal("1732700000.123456\nFedora 41\nx86_64\nALL\n", di.Serialize());
        Assert.Equal("[InstallMedia]\nname=Fedora 41\nmediaid=1732700000.123456\nmetadata_expire=-1\ngpgcheck=0\ncost=500\n",
            MediaRepo.Serialize(di.Description, di.Timestamp));
    }

    [Fact]
    public void Timestamp_honours_source_date_epoch_with_six_decimals()
    {
        Assert.Equal("1732700000.000000", DiscInfo.NewTimestamp(sourceDateEpoch: "1732700000"));
        Assert.Matches(@"^\d{10}\.\d{6}$", DiscInfo.NewTimestamp(sourceDateEpoch: ""));
    }

    [Fact]
    public void Description_rules()
    {
        var model = VariantModel.FromInline(
        [
            new InlineVariant { Include = "Server", Arches = ["x86_64"] },
            new InlineVariant { Include = "Gluster", Parent = "Server", Type = "layered-product", Arches = ["x86_64"], Release = new("Gluster", "Gluster", "2.3") },
        ]);
        var plain = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "41"), null, "nightly", "20261127");
        Assert.Equal("Fedora 41", DiscInfo.DescriptionFor(plain, model.Find("Server")!, "x86_64"));
        Assert.Equal("Fedora Server x86_64", DiscInfo.DescriptionFor(plain, model.Find("Server")!, "x86_64", "Fedora %(variant_name)s %(arch)s"));
        var rhel = ComposeInfo.Create(new ReleaseInfo("Red Hat Enterprise Linux", "RHEL", "7.4"), null, "nightly", "20261127");
        Assert.Equal("Gluster 2.3 for Red Hat Enterprise Linux 7", DiscInfo.DescriptionFor(rhel, model.Find("Server-Gluster")!, "x86_64"));
        var layered = ComposeInfo.Create(new ReleaseInfo("Prod", "P", "2.1"), new ReleaseInfo("Base OS", "B", "7"), "test", "20261127");
        Assert.Equal("Prod 2.1 for Base OS 7", DiscInfo.DescriptionFor(layered, model.Find("Server")!, "src"));
    }

    [Fact]
    public void Too_short_is_PUNGI7006()
        => Assert.Equal(ErrorCodes.DiscinfoMalformed, Assert.Throws<PungiException>(() => DiscInfo.Parse("123\nFedora\n")).Code);
}
