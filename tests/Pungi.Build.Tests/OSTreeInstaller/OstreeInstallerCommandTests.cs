using Pungi.Build.Buildinstall;
using Pungi.Build.Diagnostics;
using Pungi.Build.OSTreeInstaller;
using Xunit;

namespace Pungi.Build.Tests.OSTreeInstaller;

/// <summary>Upstream's <c>OstreeInstallerThread</c> argument construction (spec §2.17), expected lists worked out by hand.</summary>
public sealed class OstreeInstallerCommandTests
{
    [Fact]
    public void Sources_ConfigReposThenPkgsetReposThenComps_VariantUidsIgnored_DollarArchReplaced()
    {
        // get_repo_urls(None, repo + pkgset repos): URLs and absolute paths kept in order, a variant UID dropped (None);
        // the comps repo appended; then url.replace("$arch", arch) — "$basearch" does not contain "$arch".
        var sources = OstreeInstallerCommand.Sources(
            ["https://ostree.example/$arch/os/", "Everything", "/mnt/extra/$arch", "http://mirror.example/$basearch/"],
            ["/c/work/x86_64/repo/repos"], "/c/work/x86_64/comps_repo_Server", "x86_64", out var ignored);
        Assert.Equal(
        [
            "https://ostree.example/x86_64/os/", "/mnt/extra/x86_64", "http://mirror.example/$basearch/",
            "/c/work/x86_64/repo/repos", "/c/work/x86_64/comps_repo_Server",
        ], sources);
        Assert.Equal(["Everything"], ignored);
    }

    [Fact]
    public void Templates_AbsoluteKept_RelativeJoinedToTemplateRepoClone_RelativeWithoutRepoIsAnError()
    {
        // _get_templates: template[0] != "/" → os.path.join(template_dir, template), RuntimeError without template_repo
        Assert.Equal(["/abs/a.tmpl", "/w/lorax_templates/ostree-based-installer/lorax-embed-repo.tmpl"],
            OstreeInstallerCommand.Templates(["/abs/a.tmpl", "ostree-based-installer/lorax-embed-repo.tmpl"], "/w/lorax_templates", "add_template"));
        var e = Assert.Throws<PungiException>(() => OstreeInstallerCommand.Templates(["rel.tmpl"], null, "add_template"));
        Assert.Equal(ErrorCodes.OstreeInstallerRelativeTemplate, e.Code);
    }

    [Theory]
    // _get_release: no "release" key → None, formatted by get_lorax_cmd as "--release=None"
    [InlineData(false, null, "None")]
    // "release": None (empty) → version_generator(None) is None → compose.image_release
    [InlineData(true, null, "20261127.t.0")]
    // a generator is resolved; a plain value passes through
    [InlineData(true, "!RELEASE_FROM_LABEL_DATE_TYPE_RESPIN", "20261127.t.0")]
    [InlineData(true, "7", "7")]
    public void Release_FollowsGetRelease(bool hasRelease, string? release, string expected)
    {
        var config = new OstreeInstallerConfig { HasRelease = hasRelease, Release = release };
        string? Generator(string? s) => s == "!RELEASE_FROM_LABEL_DATE_TYPE_RESPIN" ? "20261127.t.0" : s;
        Assert.Equal(expected, OstreeInstallerCommand.Release(config, Generator, "20261127.t.0"));
    }

    [Fact]
    public void LoraxArguments_NomacbootAlways_NoNoupgradeNoBugurl_TemplatesAndVarsInGetLoraxCmdOrder()
    {
        var config = new OstreeInstallerConfig
        {
            InstallPkgs = ["fedora-productimg-atomic"],
            AddTemplate = ["ostree-based-installer/lorax-configure-repo.tmpl", "/abs/embed.tmpl"],
            AddArchTemplate = ["/abs/arch.tmpl"],
            AddTemplateVar = ["ostree_osname=fedora-atomic", "ostree_install_ref=fedora-atomic/41/x86_64/docker-host"],
            AddArchTemplateVar = ["ostree_repo=https://kojipkgs.example/atomic/41/"],
            RootfsSize = "3",
            SkipBranding = true,
        };
        var request = OstreeInstallerCommand.Request(config, "lorax", "Fedora", "41", "20261127.n.0",
            ["https://ostree.example/x86_64/", "/c/work/x86_64/repo/repos"], "/c/work/x86_64/Everything/ostree_installer",
            "Everything", isFinal: true, "i386", "Fedora-41 Everything.i386", "/c/logs/i386/Everything/ostree_installer-1", "/c/work/i386/Everything/lorax_templates");
        Assert.Equal(
        [
            "lorax", "--product=Fedora", "--version=41", "--release=20261127.n.0",
            "--source=https://ostree.example/x86_64/", "--source=file:///c/work/x86_64/repo/repos",
            "--variant=Everything",
            "--nomacboot",
            "--isfinal",
            // get_valid_arches("i386")[0]
            "--buildarch=i686",
            "--volid=Fedora-41 Everything.i386",
            "--installpkgs=fedora-productimg-atomic",
            "--add-template=/c/work/i386/Everything/lorax_templates/ostree-based-installer/lorax-configure-repo.tmpl",
            "--add-template=/abs/embed.tmpl",
            "--add-arch-template=/abs/arch.tmpl",
            "--add-template-var=ostree_osname=fedora-atomic",
            "--add-template-var=ostree_install_ref=fedora-atomic/41/x86_64/docker-host",
            "--add-arch-template-var=ostree_repo=https://kojipkgs.example/atomic/41/",
            "--logfile=/c/logs/i386/Everything/ostree_installer-1/lorax.log",
            "--rootfs-size=3",
            "--skip-branding",
            "/c/work/x86_64/Everything/ostree_installer",
        ], LoraxCommand.Arguments(request));
        // the runroot command removes the output dir first (lorax refuses an existing one)
        Assert.StartsWith("rm -rf /c/work/x86_64/Everything/ostree_installer && lorax --product=Fedora ",
            LoraxCommand.ShellCommand(request, "/c/work/x86_64/Everything/ostree_installer"), StringComparison.Ordinal);
    }

    [Fact]
    public void RunrootPackages_PungiLoraxOstreeThenExtraRunrootPkgs_AndFailableArches()
    {
        var config = new OstreeInstallerConfig { ExtraRunrootPkgs = ["fedora-lorax-templates"], Failable = ["x86_64"] };
        Assert.Equal(["pungi", "lorax", "ostree", "fedora-lorax-templates"], OstreeInstallerCommand.RunrootPackages(config));
        // can_arch_fail: the arch or "*" listed
        Assert.True(OstreeInstallerCommand.CanFail(config, "x86_64"));
        Assert.False(OstreeInstallerCommand.CanFail(config, "aarch64"));
        Assert.True(OstreeInstallerCommand.CanFail(new OstreeInstallerConfig { Failable = ["*"] }, "aarch64"));
    }
}
