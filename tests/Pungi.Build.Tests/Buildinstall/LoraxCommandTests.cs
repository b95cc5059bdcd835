using Microsoft.Build.Utilities;
using Pungi.Build.Buildinstall;
using Pungi.Build.Diagnostics;
using Pungi.Build.Runroot;
using Xunit;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>
/// lorax's command line (spec §2.3; upstream <c>LoraxWrapper.get_lorax_cmd</c> and <c>BuildinstallPhase._get_lorax_cmd</c>).
/// Every expected list is written out by hand from those rules.
/// </summary>
public sealed class LoraxCommandTests
{
    private static LoraxRequest Minimal => new()
    {
        Product = "Fedora",
        Version = "41",
        Release = "41",
        Sources = ["/c/work/x86_64/repo/repos"],
        OutputDir = "/c/work/x86_64/buildinstall/Server",
    };

    [Fact]
    public void GetLoraxCmd_EveryOptionInUpstreamsOrder()
    {
        var r = Minimal with
        {
            Sources = ["/c/work/x86_64/repo/repos", "https://mirror.example/extra/$basearch/", "/c/work/x86_64/comps_repo_Server"],
            Variant = "Server",
            Bugurl = "https://bugz.example/",
            Nomacboot = true,
            Noupgrade = true,
            IsFinal = true,
            Buildarch = "x86_64",
            Volid = "Fedora-S-dvd-x86_64-41",
            InstallPkgs = ["fedora-productimg-server", "anaconda"],
            AddTemplate = ["t1.tmpl"],
            AddArchTemplate = ["a1.tmpl", "a2.tmpl"],
            AddTemplateVar = ["x=1"],
            AddArchTemplateVar = ["y=2"],
            LogDir = "/c/logs/x86_64/buildinstall-Server-logs",
            RootfsSize = "3",
            DracutArgs = ["--xz", "--install", "/.buildstamp"],
            SkipBranding = true,
            SquashfsOnly = true,
            ConfigurationFile = "/c/logs/x86_64/buildinstall-Server-logs/lorax.conf",
        };
        Assert.Equal(
        [
            "lorax", "--product=Fedora", "--version=41", "--release=41",
            "--source=file:///c/work/x86_64/repo/repos", "--source=https://mirror.example/extra/$basearch/",
            "--source=file:///c/work/x86_64/comps_repo_Server",
            "--variant=Server", "--bugurl=https://bugz.example/", "--nomacboot", "--noupgrade", "--isfinal",
            "--buildarch=x86_64", "--volid=Fedora-S-dvd-x86_64-41",
            "--installpkgs=fedora-productimg-server", "--installpkgs=anaconda",
            "--add-template=t1.tmpl", "--add-arch-template=a1.tmpl", "--add-arch-template=a2.tmpl",
            "--add-template-var=x=1", "--add-arch-template-var=y=2",
            "--logfile=/c/logs/x86_64/buildinstall-Server-logs/lorax.log", "--rootfs-size=3",
            "--dracut-arg=--xz", "--dracut-arg=--install", "--dracut-arg=/.buildstamp",
            "--skip-branding", "--squashfs-only",
            // "at the moment Lorax does not accept --config=%s": two words
            "--config", "/c/logs/x86_64/buildinstall-Server-logs/lorax.conf",
            "/c/work/x86_64/buildinstall/Server",
        ], LoraxCommand.Arguments(r));
    }

    [Fact]
    public void GetLoraxCmd_OnlyRequiredWhenNothingElseIsSet()
        => Assert.Equal(["lorax", "--product=Fedora", "--version=41", "--release=41", "--source=file:///c/work/x86_64/repo/repos", "/c/work/x86_64/buildinstall/Server"],
            LoraxCommand.Arguments(Minimal));

    [Fact]
    public void GetLoraxCmd_RelativeSourceBecomesAbsoluteFileUrl_UrlKept()
    {
        var args = LoraxCommand.Arguments(Minimal with { Sources = ["rel/repo", "ftp://x/y"] });
        Assert.Equal("--source=file://" + Path.GetFullPath("rel/repo"), args[4]);
        Assert.Equal("--source=ftp://x/y", args[5]);
    }

    [Fact]
    public void RunrootCommand_IsRmRfThenShlexQuotedLorax()
        => Assert.Equal(
            "rm -rf /c/work/x86_64/buildinstall/Server && lorax '--product=Sample Product' --version=41 --release=41 "
            + "--source=file:///c/work/x86_64/repo/repos '--volid=SAMPLE-1.0 Server.x86_64' /c/work/x86_64/buildinstall/Server",
            LoraxCommand.ShellCommand(Minimal with { Product = "Sample Product", Volid = "SAMPLE-1.0 Server.x86_64" }, "/c/work/x86_64/buildinstall/Server"));

    [Theory]
    [InlineData("x86_64", "x86_64")]
    [InlineData("i386", "i686")]
    [InlineData("armhfp", "armv7hnl")]
    [InlineData("aarch64", "aarch64")]
    [InlineData("ppc64le", "ppc64le")]
    [InlineData("s390x", "s390x")]
    public void Buildarch_IsFirstValidArchOfTheTreeArch(string tree, string expected) => Assert.Equal(expected, LoraxCommand.BuildArch(tree));

    [Theory]
    [InlineData("abc", "abc")]
    [InlineData("--volid=A-1", "--volid=A-1")]
    [InlineData("a b", "'a b'")]
    [InlineData("it's", "'it'\"'\"'s'")]
    [InlineData("", "''")]
    [InlineData("$x", "'$x'")]
    [InlineData("a@b%c+d=e:f,g./h-i", "a@b%c+d=e:f,g./h-i")]
    public void ShellQuote_IsPythonShlexQuote(string input, string expected) => Assert.Equal(expected, ShellQuote.Quote(input));

    [Fact]
    public void LoraxOptions_NoBlocks_NomacbootAndNoupgradeOnByDefault_VersionFromTreeinfoOrRelease()
    {
        var o = LoraxOptions.Merge([], "41");
        Assert.True(o.Nomacboot);
        Assert.True(o.Noupgrade);
        Assert.Equal("41", o.Version);
        Assert.Null(o.Bugurl);
        Assert.Null(o.RootfsSize);
        Assert.False(o.SkipBranding);
    }

    [Fact]
    public void LoraxOptions_MergeAsUpstream()
    {
        var o = LoraxOptions.Merge(
        [
            new LoraxOptionBlock { Nomacboot = false, Bugurl = "https://one/", RootfsSize = "3", AddTemplate = ["a"], DracutArgs = ["--xz"], SkipBranding = true, SquashfsOnly = true, Version = "41.1" },
            new LoraxOptionBlock { Nomacboot = true, Bugurl = "", AddTemplate = ["b"], AddArchTemplateVar = ["v=1"], DracutArgs = ["--nomdadmconf"] },
            new LoraxOptionBlock { Noupgrade = false, Bugurl = "https://three/", ConfigurationFile = "lorax.conf" },
        ], "41");
        Assert.False(o.Nomacboot);            // one block saying false turns it off for good
        Assert.False(o.Noupgrade);
        Assert.Equal("https://three/", o.Bugurl); // last truthy bugurl; "" does not reset it
        Assert.Equal("3", o.RootfsSize);      // only blocks that have the key set it
        Assert.Equal("41.1", o.Version);
        Assert.Equal(["a", "b"], o.AddTemplate);
        Assert.Equal(["v=1"], o.AddArchTemplateVar);
        Assert.Equal(["--xz", "--nomdadmconf"], o.DracutArgs);
        // data.get("skip_branding", False) of the LAST block: a later block without the key resets it
        Assert.False(o.SkipBranding);
        Assert.False(o.SquashfsOnly);
        Assert.Equal("lorax.conf", o.ConfigurationFile);
    }

    [Fact]
    public void LoraxOptionItem_MetadataBecomesBlock_MissingKeysStayUnset()
    {
        var item = new TaskItem("^Server$");
        item.SetMetadata("Nomacboot", "False");
        item.SetMetadata("AddTemplate", "x.tmpl;y.tmpl");
        item.SetMetadata("RootfsSize", "4");
        var b = Pungi.Build.Tasks.Buildinstall.ToBlock(item);
        Assert.False(b.Nomacboot);
        Assert.Null(b.Noupgrade);
        Assert.Null(b.SkipBranding);
        Assert.Null(b.Version);
        Assert.Equal(["x.tmpl", "y.tmpl"], b.AddTemplate);
        Assert.Equal("4", b.RootfsSize);
    }

    [Fact]
    public void LoraxOptionItem_NonBooleanFlag_IsPungi5103()
    {
        var item = new TaskItem("^Server$");
        item.SetMetadata("Noupgrade", "maybe");
        var e = Assert.Throws<PungiException>(() => Pungi.Build.Tasks.Buildinstall.ToBlock(item));
        Assert.Equal(ErrorCodes.BuildinstallBadOption, e.Code);
    }
}
