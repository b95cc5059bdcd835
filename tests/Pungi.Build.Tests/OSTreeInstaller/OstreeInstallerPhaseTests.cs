using System.Text.Json;
using Pungi.Build.Compose;
using Pungi.Build.Tests.Build;
using Xunit;

namespace Pungi.Build.Tests.OSTreeInstaller;

/// <summary>
/// The sample product composed with an <c>OstreeInstaller</c> item for Server.x86_64 and a lorax stand-in (spec
/// §2.17, §6.3). The stand-in compares its arguments with the list below (worked out by hand from
/// <c>_run_ostree_cmd</c>/<c>get_lorax_cmd</c>) and fails the build on any difference; it writes a real small ISO as
/// images/boot.iso, labelled with the volume ID it got.
/// </summary>
[Collection("spawned builds")]
public sealed class OstreeInstallerPhaseTests
{
    // The Include names two repos: MSBuild splits it into two items with equal metadata, which are one config again.
    // "Everything" is a variant UID, ignored with a warning (get_repo_urls with compose=None).
    private const string Options = """
        <PropertyGroup>
          <BuildinstallLoraxPath>$(MSBuildProjectDirectory)/lorax</BuildinstallLoraxPath>
        </PropertyGroup>
        <ItemGroup>
          <OstreeInstaller Include="https://ostree.example/repo/$arch/;Everything" Variant="^Server$" Arch="x86_64" Release=""
                           Installpkgs="fedora-productimg-atomic" AddTemplate="/srv/templates/lorax-configure-repo.tmpl;/srv/templates/lorax-embed-repo.tmpl"
                           AddTemplateVar="ostree_osname=sample-atomic;ostree_install_ref=sample/1.0/x86_64/atomic-host" RootfsSize="3" SkipBranding="true" />
        </ItemGroup>
        """;

    private static string[] ExpectedServer(string top) =>
    [
        "--product=Sample Product", "--version=1.0",
        // "release": None → compose.image_release = <date><type suffix>.<respin>
        "--release=20261127.t.0",
        // config repos ($arch replaced, the variant UID dropped), then the package-set arch repos
        "--source=https://ostree.example/repo/x86_64/",
        $"--source=file://{top}/work/x86_64/repo/repos",
        "--variant=Server",
        // nomacboot=True always; no --noupgrade, no --bugurl
        "--nomacboot",
        "--buildarch=x86_64",
        // get_volid(disc_type="ostree"): the default formats do not use disc_type
        "--volid=SAMPLE-1.0 Server.x86_64",
        "--installpkgs=fedora-productimg-atomic",
        "--add-template=/srv/templates/lorax-configure-repo.tmpl", "--add-template=/srv/templates/lorax-embed-repo.tmpl",
        "--add-template-var=ostree_osname=sample-atomic", "--add-template-var=ostree_install_ref=sample/1.0/x86_64/atomic-host",
        $"--logfile={top}/logs/x86_64/Server/ostree_installer-1/lorax.log",
        "--rootfs-size=3",
        "--skip-branding",
        $"{top}/work/x86_64/Server/ostree_installer",
    ];

    [SkippableFact]
    public void SampleWithOstreeInstaller_IsoInIsoDir_DvdOstreeInImagesJson_TreeGetsInstaller()
    {
        Interop.RequireTool("xorriso");
        Interop.RequireTool("implantisomd5");
        using var p = SampleCompose.Create();
        var sdk = "  <Import Project=\"" + Path.Combine(TestPaths.RepoRoot, "targets") + "/Sdk/Sdk.targets\" />";
        var text = File.ReadAllText(p.ProjectPath);
        Assert.Contains(sdk, text, StringComparison.Ordinal);
        File.WriteAllText(p.ProjectPath, text.Replace(sdk, Options + "\n" + sdk, StringComparison.Ordinal));
        var top = SampleCompose.TopDir(p);
        var expect = Path.Combine(p.Dir, "expect");
        Directory.CreateDirectory(expect);
        File.WriteAllLines(Path.Combine(expect, "Server.args"), ExpectedServer(top));
        var script = Path.Combine(TestPaths.RepoRoot, "tests", "Pungi.Build.Tests", "OSTreeInstaller", "lorax-ostree-standin.sh");
        var wrapper = Path.Combine(p.Dir, "lorax");
        File.WriteAllText(wrapper, $"#!/bin/sh\nLORAX_STANDIN_EXPECT='{expect}' exec bash '{script}' \"$@\"\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(wrapper, File.GetUnixFileMode(wrapper) | UnixFileMode.UserExecute);

        var run = p.Build();
        Assert.True(run.ExitCode == 0, run.Describe());
        Assert.Equal(ExpectedServer(top), File.ReadAllLines(Path.Combine(top, "logs", "x86_64", "Server", "ostree_installer-1", "standin-argv.txt")));
        Assert.Contains("PUNGI5115", run.Output, StringComparison.Ordinal);
        Assert.StartsWith($"COMMAND: rm -rf {top}/work/x86_64/Server/ostree_installer && ",
            File.ReadAllText(Path.Combine(top, "logs", "x86_64", "Server", "ostree_installer-1", "runroot.log")), StringComparison.Ordinal);

        // compose.get_image_name(arch, variant, disc_type="ostree"): disc_num is left at its default 1 (the spec's §7.1
        // example "…-ostree.iso" drops it; upstream's code does not), format "{compose_id}-{variant}-{arch}-{disc_type}{disc_num}{suffix}"
        var isoName = "SAMPLE-1.0-20261127.t.0-Server-x86_64-ostree1.iso";
        var iso = Path.Combine(top, "compose", "Server", "x86_64", "iso", isoName);
        Assert.True(File.Exists(iso), "ostree installer ISO missing: " + string.Join(", ", Directory.EnumerateFiles(Path.GetDirectoryName(iso)!)));
        var os = Path.Combine(top, "compose", "Server", "x86_64", "os");
        Assert.True(HardLink.SameInode(iso, Path.Combine(top, "work", "x86_64", "Server", "ostree_installer", "images", "boot.iso")));
        Assert.True(File.Exists(Path.Combine(os, "images", "install.img")));
        Assert.Contains("inst.stage2=hd:LABEL=SAMPLE-1.0\\x20Server.x86_64", File.ReadAllText(Path.Combine(os, "isolinux", "isolinux.cfg")), StringComparison.Ordinal);
        // only the configured variant.arch
        Assert.False(Directory.Exists(Path.Combine(top, "work", "x86_64", "Workstation", "ostree_installer")));

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(top, "compose", "metadata", "images.json")));
        var server = doc.RootElement.GetProperty("payload").GetProperty("images").GetProperty("Server").GetProperty("x86_64");
        var img = server.EnumerateArray().Single(i => i.GetProperty("type").GetString() == "dvd-ostree");
        Assert.Equal("Server/x86_64/iso/" + isoName, img.GetProperty("path").GetString());
        Assert.Equal("iso", img.GetProperty("format").GetString());
        Assert.True(img.GetProperty("bootable").GetBoolean());
        Assert.Equal(1, img.GetProperty("disc_number").GetInt32());
        Assert.Equal(1, img.GetProperty("disc_count").GetInt32());
        Assert.Equal("Server", img.GetProperty("subvariant").GetString());
        Assert.Equal("x86_64", img.GetProperty("arch").GetString());
        // read from the ISO (isoinfo -d) and checkisomd5 --md5sumonly
        Assert.Equal("SAMPLE-1.0 Server.x86_64", img.GetProperty("volume_id").GetString());
        var implanted = Interop.Run("checkisomd5", "--md5sumonly", iso).Trim();
        var md5 = img.GetProperty("implant_md5").GetString()!;
        Assert.Matches("^[0-9a-f]{32}$", md5);
        Assert.Contains(md5, implanted, StringComparison.Ordinal);
        Assert.Equal(new FileInfo(iso).Length, img.GetProperty("size").GetInt64());
        Assert.Equal(64, img.GetProperty("checksums").GetProperty("sha256").GetString()!.Length);
        Assert.DoesNotContain(doc.RootElement.GetProperty("payload").GetProperty("images").EnumerateObject()
            .SelectMany(v => v.Value.EnumerateObject()).SelectMany(a => a.Value.EnumerateArray()),
            i => i.GetProperty("type").GetString() == "dvd-ostree" && i.GetProperty("subvariant").GetString() != "Server");

        // No-op rebuild: lorax does not run again.
        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        Assert.Empty(second.Ran("OSTreeInstaller"));
    }
}
