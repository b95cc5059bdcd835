using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Xunit;

namespace Pungi.Build.Tests.Iso;

/// <summary>Expected values worked out by hand from spec §1.2 (double substitution), §7.1 and §7.2.</summary>
public class IsoNamingTests
{
    private static readonly Dictionary<string, string> Common = new()
    {
        ["compose_id"] = "Fedora-41-20261127.n.0", ["release_short"] = "Fedora", ["version"] = "41", ["date"] = "20261127",
        ["respin"] = "0", ["type"] = "nightly", ["type_suffix"] = ".n", ["label"] = "", ["label_major_version"] = "",
    };

    private static VolumeIdRequest Volid(string? variant = "Server", string arch = "x86_64") => new()
    {
        Common = Common, Arch = arch, Variant = variant, ReleaseShort = "Fedora", ReleaseVersion = "41", DiscType = "dvd",
    };

    [Fact]
    public void Image_name_default_format_spec_7_1()
    {
        Assert.Equal("Fedora-41-20261127.n.0-Server-x86_64-dvd1.iso", IsoNaming.GetImageName(Common, "x86_64", "Server"));
    }

    [Fact]
    public void Image_name_src_arch_is_written_source()
    {
        Assert.Equal("Fedora-41-20261127.n.0-Server-source-dvd1.iso", IsoNaming.GetImageName(Common, "src", "Server"));
    }

    [Fact]
    public void Image_name_without_disc_number_spec_7_1_boot_iso()
    {
        Assert.Equal("Fedora-41-20261127.n.0-Server-x86_64-boot.iso", IsoNaming.GetImageName(Common, "x86_64", "Server", "boot", null));
        Assert.Equal("Fedora-41-20261127.n.0-Everything-x86_64-ostree.iso", IsoNaming.GetImageName(Common, "x86_64", "Everything", "ostree", 0));
    }

    [Fact]
    public void Image_name_format_by_variant_regex_first_match()
    {
        var byVariant = new List<KeyValuePair<string, string>>
        {
            new("^Work", "{release_short}-WS-{arch}{suffix}"),
            new(".*", "%(release_short)s-%(variant)s-{arch}-%(disc_type)s%(disc_num)s{suffix}"),
        };
        Assert.Equal("Fedora-WS-x86_64.iso", IsoNaming.GetImageName(Common, "x86_64", "Workstation", formatByVariant: byVariant));
        // Both spellings in one template, % first then {} (spec §1.2).
        Assert.Equal("Fedora-Server-x86_64-dvd2.iso", IsoNaming.GetImageName(Common, "x86_64", "Server", discNum: 2, formatByVariant: byVariant));
    }

    [Fact]
    public void Substitution_escapes_and_unknown_keys()
    {
        var v = new Dictionary<string, string> { ["a"] = "x" };
        Assert.Equal("100% {x} x", IsoNaming.Substitute("100%% {{%(a)s}} {a}", v));
        Assert.Equal(ErrorCodes.TemplateUnknownKey, Assert.Throws<PungiException>(() => IsoNaming.Substitute("{nope}", v)).Code);
        Assert.Equal(ErrorCodes.TemplateUnknownKey, Assert.Throws<PungiException>(() => IsoNaming.Substitute("%(nope)s", v)).Code);
        Assert.Equal(ErrorCodes.TemplateSyntax, Assert.Throws<PungiException>(() => IsoNaming.Substitute("{a", v)).Code);
        Assert.Equal(ErrorCodes.TemplateSyntax, Assert.Throws<PungiException>(() => IsoNaming.Substitute("50%", v)).Code);
    }

    [Fact]
    public void Volume_id_default_format_spec_7_2_example()
    {
        Assert.Equal("Fedora-41 Server.x86_64", IsoNaming.GetVolumeId(Volid()));
    }

    [Fact]
    public void Volume_id_takes_the_first_format_of_at_most_32_characters()
    {
        // "Fedora-41 VeryLongVariantNameHere.x86_64" has 40 characters; the second default drops the variant.
        Assert.Equal("Fedora-41 x86_64", IsoNaming.GetVolumeId(Volid("VeryLongVariantNameHere")));
        // Exactly 32 characters is accepted: "Fedora-41 " (10) + 15-char variant + ".x86_64" (7).
        Assert.Equal("Fedora-41 ABCDEFGHIJKLMNO.x86_64", IsoNaming.GetVolumeId(Volid("ABCDEFGHIJKLMNO")));
    }

    [Fact]
    public void Volume_id_substitutions_longest_key_first()
    {
        var r = new VolumeIdRequest
        {
            Common = Common, Arch = "aarch64", Variant = "Everything", ReleaseShort = "Fedora", ReleaseVersion = "Rawhide", DiscType = "netinst",
            VolidFormats = ["%(release_short)s-%(variant)s-%(disc_type)s-%(arch)s-%(version)s"],
            Substitutions = [new("Every", "X"), new("Everything", "E"), new("Rawhide", "rawh")],
        };
        // Raw: "Fedora-Everything-netinst-aarch64-Rawhide" (41). "Everything" is replaced before "Every".
        Assert.Equal("Fedora-E-netinst-aarch64-rawh", IsoNaming.GetVolumeId(r));
    }

    [Fact]
    public void Volume_id_restricted_replaces_non_word_characters()
    {
        var r = new VolumeIdRequest { Common = Common, Arch = "x86_64", Variant = "Server", ReleaseShort = "Fedora", ReleaseVersion = "41", Restricted = true };
        Assert.Equal("Fedora-41-Server-x86_64", IsoNaming.GetVolumeId(r));
    }

    [Fact]
    public void Volume_id_none_fits_is_an_error_listing_the_tried_values()
    {
        var r = new VolumeIdRequest
        {
            Common = Common, Arch = "x86_64", Variant = "Server", ReleaseShort = "AVeryLongReleaseShortName", ReleaseVersion = "41.1234",
        };
        var e = Assert.Throws<PungiException>(() => IsoNaming.GetVolumeId(r));
        Assert.Equal(ErrorCodes.VolumeIdNoneFits, e.Code);
        Assert.Contains("'AVeryLongReleaseShortName-41.1234 Server.x86_64'", e.Message);
        Assert.Contains("'AVeryLongReleaseShortName-41.1234 x86_64'", e.Message);
    }

    [Fact]
    public void Volume_id_layered_product_formats_come_first()
    {
        var r = new VolumeIdRequest
        {
            Common = Common, Arch = "x86_64", Variant = "Server", ReleaseShort = "MP", ReleaseVersion = "2", Layered = true,
            BaseProductShort = "RHEL", BaseProductVersion = "7",
        };
        Assert.Equal("MP-2 RHEL-7 Server.x86_64", IsoNaming.GetVolumeId(r));
    }

    [Fact]
    public void Volume_id_without_variant_skips_only_percent_variant_formats()
    {
        // Upstream checks only the "%(variant)s" spelling; "{variant}" formats are used and give "None".
        var r = Volid(variant: null);
        Assert.Equal("Fedora-41 None.x86_64", IsoNaming.GetVolumeId(r));
        var percent = new VolumeIdRequest { Common = Common, Arch = "x86_64", ReleaseShort = "Fedora", ReleaseVersion = "41", VolidFormats = ["%(release_short)s %(variant)s", "%(release_short)s-%(arch)s"] };
        Assert.Equal("Fedora-x86_64", IsoNaming.GetVolumeId(percent));
        var onlyVariant = new VolumeIdRequest { Common = Common, Arch = "x86_64", ReleaseShort = "Fedora", ReleaseVersion = "41", VolidFormats = ["%(variant)s"] };
        Assert.Null(IsoNaming.GetVolumeId(onlyVariant));
    }

    [Fact]
    public void Volume_id_src_arch_stays_src()
    {
        Assert.Equal("Fedora-41 Server.src", IsoNaming.GetVolumeId(Volid(arch: "src")));
    }
}
