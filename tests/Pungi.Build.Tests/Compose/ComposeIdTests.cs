using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Compose;

/// <summary>Compose id, label and version rules of spec §1.2 (productmd create_compose_id, Pungi Compose).</summary>
public class ComposeIdTests
{
    private static readonly ReleaseInfo Fedora41 = new("Fedora", "Fedora", "41");

    [Fact]
    public void Nightly_ga_compose_id_spec_example()
        => Assert.Equal("Fedora-41-20261127.n.0", ComposeInfo.Create(Fedora41, null, "nightly", "20261127").Id);

    [Fact]
    public void Non_numeric_version_is_kept_as_written()
        => Assert.Equal("Fedora-Rawhide-20180616.n.0",
            ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "Rawhide"), null, "nightly", "20180616").Id);

    [Fact]
    public void Production_has_no_type_suffix_and_release_type_adds_dash_type()
        => Assert.Equal("RHEL-8.4-updates-20210101.1",
            ComposeInfo.Create(new ReleaseInfo("Red Hat Enterprise Linux", "RHEL", "8.4", "updates"), null, "production", "20210101", 1).Id);

    [Fact]
    public void Layered_product_inserts_base_product_short_and_version()
        => Assert.Equal("MYPRODUCT-2.1-RHEL-7-20161110.t.0",
            ComposeInfo.Create(new ReleaseInfo("Really Cool Product", "MYPRODUCT", "2.1"),
                new ReleaseInfo("Red Hat Enterprise Linux", "RHEL", "7"), "test", "20161110").Id);

    [Fact]
    public void Base_product_type_suffix_follows_the_same_ga_rule()
        => Assert.Equal("LP-1.0-updates-RHEL-8-updates-testing-20200202.ci.3",
            ComposeInfo.Create(new ReleaseInfo("LP", "LP", "1.0", "updates"),
                new ReleaseInfo("RHEL", "RHEL", "8", "updates-testing"), "ci", "20200202", 3).Id);

    [Theory]
    [InlineData("production", "")]
    [InlineData("nightly", ".n")]
    [InlineData("test", ".t")]
    [InlineData("ci", ".ci")]
    [InlineData("development", ".d")]
    public void Compose_type_suffixes_per_productmd(string type, string suffix)
    {
        Assert.Equal(suffix, ComposeTypes.Suffix(type));
        Assert.Equal($"Fedora-41-20261127{suffix}.0", ComposeInfo.Create(Fedora41, null, type, "20261127").Id);
    }

    [Theory]
    [InlineData("Nightly")]
    [InlineData("n")]
    [InlineData("release")]
    [InlineData("")]
    public void Unknown_compose_type_is_PUNGI1003(string type)
    {
        var ex = Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41, null, type, "20261127", file: "p.composeproj"));
        Assert.Equal(ErrorCodes.UnknownComposeType, ex.Code);
        Assert.Equal("p.composeproj", ex.File);
    }

    [Theory]
    [InlineData("2026112")]
    [InlineData("2026-11-27")]
    [InlineData("20261327")]
    [InlineData("20260230")]
    [InlineData("202611271")]
    public void Bad_compose_date_is_PUNGI1004(string date)
        => Assert.Equal(ErrorCodes.BadComposeDate,
            Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41, null, "test", date)).Code);

    [Fact]
    public void Negative_or_non_numeric_respin_is_PUNGI1005()
    {
        Assert.Equal(ErrorCodes.BadComposeRespin, Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41, null, "test", "20261127", -1)).Code);
        Assert.Equal(ErrorCodes.BadComposeRespin, Assert.Throws<PungiException>(() => ComposeInfo.ParseRespin("x")).Code);
        Assert.Equal(ErrorCodes.BadComposeRespin, Assert.Throws<PungiException>(() => ComposeInfo.ParseRespin("-2")).Code);
        Assert.Equal(0, ComposeInfo.ParseRespin(""));
        Assert.Equal(7, ComposeInfo.ParseRespin("7"));
    }

    [Fact]
    public void Unknown_release_type_is_PUNGI1002()
        => Assert.Equal(ErrorCodes.UnknownReleaseType,
            Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41 with { Type = "beta" }, null, "test", "20261127")).Code);

    [Fact]
    public void Empty_release_short_is_PUNGI1001()
        => Assert.Equal(ErrorCodes.ReleaseValueMissing,
            Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41 with { Short = "" }, null, "test", "20261127")).Code);

    [Fact]
    public void Base_product_needs_all_three_values_or_none()
    {
        Assert.Null(ComposeInfo.BaseProductFrom(null, "", null));
        Assert.Equal(new ReleaseInfo("RHEL", "RHEL", "7"), ComposeInfo.BaseProductFrom("RHEL", "RHEL", "7"));
        Assert.Equal(ErrorCodes.IncompleteBaseProduct, Assert.Throws<PungiException>(() => ComposeInfo.BaseProductFrom("RHEL", null, "7")).Code);
    }

    [Theory]
    [InlineData("Beta-1.2", "Beta", "1.2", "Beta-1", false)]
    [InlineData("RC-1.0", "RC", "1.0", "RC-1", true)]
    [InlineData("Update-10.11", "Update", "10.11", "Update-10", true)]
    [InlineData("SecurityFix-3.4", "SecurityFix", "3.4", "SecurityFix-3", true)]
    [InlineData("EA-0.1", "EA", "0.1", "EA-0", false)]
    [InlineData("DevelPhaseExit-1.0", "DevelPhaseExit", "1.0", "DevelPhaseExit-1", false)]
    public void Label_parts_major_version_and_supported_milestones(string label, string milestone, string release, string major, bool supported)
    {
        var l = ComposeLabel.Parse(label);
        Assert.Equal(milestone, l.Milestone);
        Assert.Equal(release, l.Release);
        Assert.Equal(major, l.MajorVersion);
        Assert.Equal(supported, l.IsSupported);
        var ci = ComposeInfo.Create(Fedora41, null, "production", "20261127", label: label);
        Assert.Equal(supported, ci.Final); // compose.final is forced by RC/Update/SecurityFix
    }

    [Theory]
    [InlineData("Beta")]
    [InlineData("Beta-1")]
    [InlineData("Beta-1.2.3")]
    [InlineData("beta-1.2")]
    [InlineData("GA-1.0")]
    [InlineData("Beta-a.b")]
    [InlineData("-1.0")]
    public void Bad_label_is_PUNGI1006(string label)
        => Assert.Equal(ErrorCodes.BadComposeLabel,
            Assert.Throws<PungiException>(() => ComposeInfo.Create(Fedora41, null, "test", "20261127", label: label)).Code);

    [Fact]
    public void Image_release_and_version_without_label()
    {
        var ci = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "26"), null, "nightly", "20170406");
        Assert.Equal("20170406.n.0", ci.ImageRelease);
        Assert.Equal("26", ci.ImageVersion);
    }

    [Fact]
    public void Image_release_and_version_with_label()
    {
        var ci = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "26"), null, "production", "20170406", label: "Alpha-1.6");
        Assert.Equal("1.6", ci.ImageRelease);
        Assert.Equal("26_Alpha", ci.ImageVersion);
        // RC labels keep the plain version.
        var rc = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "26"), null, "production", "20170406", label: "RC-1.2");
        Assert.Equal("26", rc.ImageVersion);
        Assert.Equal("1.2", rc.ImageRelease);
    }

    [Fact]
    public void Version_generators_per_pungi_util_version_generator()
    {
        var ci = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "26"), null, "nightly", "20170406", 2, "Alpha-1.6");
        Assert.Equal("26_Alpha.1.6", ci.ResolveVersion("!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN"));
        Assert.Equal("1.6", ci.ResolveVersion("!RELEASE_FROM_LABEL_DATE_TYPE_RESPIN"));
        Assert.Equal("20170406.2", ci.ResolveVersion("!RELEASE_FROM_DATE_RESPIN"));
        Assert.Equal("26.20170406.2", ci.ResolveVersion("!VERSION_FROM_VERSION_DATE_RESPIN"));
        Assert.Equal("26", ci.ResolveVersion("!VERSION_FROM_VERSION"));
        Assert.Equal("1.0", ci.ResolveVersion("1.0"));
        Assert.Null(ci.ResolveVersion(null));
        Assert.Equal(ErrorCodes.UnknownVersionGenerator, Assert.Throws<PungiException>(() => ci.ResolveVersion("!FOO")).Code);

        var unlabelled = ComposeInfo.Create(new ReleaseInfo("Fedora", "Fedora", "26"), null, "nightly", "20170406", 2);
        Assert.Equal("26.20170406.n.2", unlabelled.ResolveVersion("!OSTREE_VERSION_FROM_LABEL_DATE_TYPE_RESPIN"));
    }

    [Fact]
    public void Format_substitutions_have_get_format_substs_keys()
    {
        var ci = ComposeInfo.Create(Fedora41, null, "nightly", "20261127", 1, "Beta-1.2");
        var s = ci.FormatSubstitutions([new("variant", "Server")]);
        Assert.Equal("Fedora-41-20261127.n.1", s["compose_id"]);
        Assert.Equal("Fedora", s["release_short"]);
        Assert.Equal("41", s["version"]);
        Assert.Equal("20261127", s["date"]);
        Assert.Equal("1", s["respin"]);
        Assert.Equal("nightly", s["type"]);
        Assert.Equal(".n", s["type_suffix"]);
        Assert.Equal("Beta-1.2", s["label"]);
        Assert.Equal("Beta-1", s["label_major_version"]);
        Assert.Equal("Server", s["variant"]);
        var none = ComposeInfo.Create(Fedora41, null, "nightly", "20261127").FormatSubstitutions();
        Assert.Equal("", none["label"]);
        Assert.Equal("", none["label_major_version"]);
    }

    [Fact]
    public void With_respin_recomputes_the_id()
        => Assert.Equal("Fedora-41-20261127.n.4", ComposeInfo.Create(Fedora41, null, "nightly", "20261127").WithRespin(4).Id);

    [Fact]
    public void Layered_product_variant_image_compose_id_spec_5_3()
    {
        var ci = ComposeInfo.Create(new ReleaseInfo("RHEL", "RHEL", "7.4"), null, "nightly", "20170101", 2);
        Assert.Equal("Gluster-2.3-RHEL-7-20170101.n.2", ComposeId.ForLayeredProduct(ci, "Gluster", "2.3"));
    }
}
