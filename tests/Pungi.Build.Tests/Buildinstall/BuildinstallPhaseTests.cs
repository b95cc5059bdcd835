using Pungi.Build.Metadata;
using Pungi.Build.Tests.Build;
using Xunit;

namespace Pungi.Build.Tests.Buildinstall;

/// <summary>
/// The sample product composed with <c>BuildinstallMethod=lorax</c> and the lorax stand-in (spec §2.3, §6.7). The
/// stand-in itself compares its arguments with the lists below (worked out by hand from get_lorax_cmd and the
/// lorax_options merge) and fails the build on any difference; it writes real isolinux/EFI boot files with a label of
/// its own, so the volume IDs seen in the tree prove the tweak step ran.
/// </summary>
[Collection("spawned builds")]
public sealed class BuildinstallPhaseTests
{
    private const string Id = "SAMPLE-1.0-20261127.t.0";

    private const string Options = """
        <PropertyGroup>
          <BuildinstallMethod>lorax</BuildinstallMethod>
          <BuildinstallLoraxPath>$(MSBuildProjectDirectory)/lorax</BuildinstallLoraxPath>
        </PropertyGroup>
        <ItemGroup>
          <LoraxOption Include="^Server$" Variant="^Server$" Arch="*" Bugurl="https://bugs.example/" Nomacboot="false" AddTemplate="server.tmpl" RootfsSize="4" />
          <!-- Include is only a name here; an unescaped * would make MSBuild glob it away -->
          <LoraxOption Include="every-variant" Variant="^.*$" Arch="x86_64" DracutArgs="--xz;--nomdadmconf" />
          <LoraxExtraSource Include="https://mirror.example/extra/" Variant="^Workstation$" Arch="*" />
        </ItemGroup>
        """;

    private static string[] ExpectedServer(string top) =>
    [
        "--product=Sample Product", "--version=1.0", "--release=1.0",
        $"--source=file://{top}/work/x86_64/repo/repos",
        "--variant=Server",
        "--bugurl=https://bugs.example/",
        // Nomacboot=false in a matching block drops --nomacboot; --noupgrade stays (default true)
        "--noupgrade",
        "--buildarch=x86_64",
        // get_volid(disc_type="dvd") with the default formats: "{release_short}-{version} {variant}.{arch}"
        "--volid=SAMPLE-1.0 Server.x86_64",
        // <buildinstallpackages> of variants.xml
        "--installpkgs=sample-bash", "--installpkgs=sample-coreutils",
        "--add-template=server.tmpl",
        $"--logfile={top}/logs/x86_64/buildinstall-Server-logs/lorax.log",
        "--rootfs-size=4",
        "--dracut-arg=--xz", "--dracut-arg=--nomdadmconf",
        $"{top}/work/x86_64/buildinstall/Server",
    ];

    private static string[] ExpectedWorkstation(string top) =>
    [
        "--product=Sample Product", "--version=1.0", "--release=1.0",
        $"--source=file://{top}/work/x86_64/repo/repos",
        // lorax_extra_sources come after the package-set repos
        "--source=https://mirror.example/extra/",
        "--variant=Workstation",
        "--nomacboot", "--noupgrade",
        "--buildarch=x86_64",
        "--volid=SAMPLE-1.0 Workstation.x86_64",
        $"--logfile={top}/logs/x86_64/buildinstall-Workstation-logs/lorax.log",
        "--dracut-arg=--xz", "--dracut-arg=--nomdadmconf",
        $"{top}/work/x86_64/buildinstall/Workstation",
    ];

    [SkippableFact]
    public void SampleWithLorax_TreesGetBootFilesAndVolids_TreeinfoMerged_NoOpRebuildSkips_FailureIsCoded()
    {
        var boot = BuildinstallFixtures.RequireBootMaterial();
        using var p = SampleCompose.Create();
        var text = File.ReadAllText(p.ProjectPath);
        File.WriteAllText(p.ProjectPath, text.Replace("  <Import Project=\"" + Path.Combine(TestPaths.RepoRoot, "targets") + "/Sdk/Sdk.targets\" />",
            Options + "\n  <Import Project=\"" + Path.Combine(TestPaths.RepoRoot, "targets") + "/Sdk/Sdk.targets\" />", StringComparison.Ordinal));
        Assert.Contains("<BuildinstallMethod>", File.ReadAllText(p.ProjectPath), StringComparison.Ordinal);
        var top = SampleCompose.TopDir(p);
        var expect = Path.Combine(p.Dir, "expect");
        Directory.CreateDirectory(expect);
        File.WriteAllLines(Path.Combine(expect, "Server.args"), ExpectedServer(top));
        File.WriteAllLines(Path.Combine(expect, "Workstation.args"), ExpectedWorkstation(top));
        BuildinstallFixtures.WriteWrapper(p.Dir, boot, expect);

        var first = p.Build();
        Assert.True(first.ExitCode == 0, first.Describe());
        // units: type-variant trees only (not the addon, not optional, never src)
        Assert.Equal(["Server.x86_64", "Workstation.x86_64"],
            Directory.EnumerateDirectories(Path.Combine(top, "logs", "x86_64"), "buildinstall-*-logs")
                .Select(d => Path.GetFileName(d)["buildinstall-".Length..^"-logs".Length] + ".x86_64").Order(StringComparer.Ordinal));
        Assert.Equal(ExpectedServer(top), File.ReadAllLines(Path.Combine(top, "logs", "x86_64", "buildinstall-Server-logs", "standin-argv.txt")));
        Assert.StartsWith("COMMAND: rm -rf " + top + "/work/x86_64/buildinstall/Server && ",
            File.ReadAllText(Path.Combine(top, "logs", "x86_64", "buildinstall-Server.x86_64.log")), StringComparison.Ordinal);

        foreach (var (variant, volid) in new[] { ("Server", "SAMPLE-1.0 Server.x86_64"), ("Workstation", "SAMPLE-1.0 Workstation.x86_64") })
        {
            var os = Path.Combine(top, "compose", variant, "x86_64", "os");
            // the createiso contract: isolinux/isolinux.bin and images/efiboot.img in the os tree
            foreach (var f in new[] { "isolinux/isolinux.bin", "isolinux/ldlinux.c32", "isolinux/isolinux.cfg", "images/efiboot.img", "EFI/BOOT/BOOTX64.EFI", "EFI/BOOT/grub.cfg", "images/install.img", "images/pxeboot/vmlinuz", "images/pxeboot/initrd.img" })
                Assert.True(File.Exists(Path.Combine(os, f)), $"{variant}: {f} missing");
            // Issue 9's done-when: the stand-in's tree gives a DVD that carries both El Torito entries (Createiso §2.8).
            var dvd = Path.Combine(top, "compose", variant, "x86_64", "iso", $"SAMPLE-1.0-20261127.t.0-{variant}-x86_64-dvd1.iso");
            var torito = Iso.Interop.RunOk("xorriso", "-indev", dvd, "-report_el_torito", "plain");
            Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none", torito);
            Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none", torito);
            Assert.Contains($"Volume id: {volid}\n", Iso.Interop.RunOk("isoinfo", "-d", "-i", dvd), StringComparison.Ordinal);
            var escaped = volid.Replace(" ", "\\x20", StringComparison.Ordinal);
            var isolinux = File.ReadAllText(Path.Combine(os, "isolinux", "isolinux.cfg"));
            Assert.Contains($"inst.stage2=hd:LABEL={escaped} quiet", isolinux, StringComparison.Ordinal);
            Assert.DoesNotContain("LORAX-STANDIN-LABEL", isolinux, StringComparison.Ordinal);
            var grub = File.ReadAllText(Path.Combine(os, "EFI", "BOOT", "grub.cfg"));
            Assert.Contains($"search --no-floppy --set=root -l '{volid}'", grub, StringComparison.Ordinal);
            Assert.Contains($"inst.stage2=hd:LABEL={escaped} quiet", grub, StringComparison.Ordinal);
            Assert.Equal(grub, BuildinstallFixtures.Mtype(Path.Combine(os, "images", "efiboot.img"), "EFI/BOOT/grub.cfg"));

            // §6.7: lorax's [stage2] and [images-*] merged into the compose's .treeinfo, platforms joined, image checksums
            var ti = TreeInfo.Read(Path.Combine(os, ".treeinfo"));
            Assert.Equal("images/install.img", ti.Stage2MainImage);
            Assert.Equal(new Dictionary<string, string>
            {
                ["boot.iso"] = "images/boot.iso", ["efiboot.img"] = "images/efiboot.img",
                ["initrd"] = "images/pxeboot/initrd.img", ["kernel"] = "images/pxeboot/vmlinuz",
            }, ti.Images["x86_64"].ToDictionary());
            Assert.Equal(new Dictionary<string, string> { ["initrd"] = "images/pxeboot/initrd.img", ["kernel"] = "images/pxeboot/vmlinuz" }, ti.Images["xen"].ToDictionary());
            Assert.Equal(["x86_64", "xen"], ti.Platforms.Order(StringComparer.Ordinal));
            Assert.Equal(["images/boot.iso", "images/efiboot.img", "images/install.img", "images/pxeboot/initrd.img", "images/pxeboot/vmlinuz"],
                ti.Checksums.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(("sha256", TreeInfo.FileChecksum(Path.Combine(os, "images", "efiboot.img"), "sha256")), ti.Checksums["images/efiboot.img"]);
            var raw = File.ReadAllText(Path.Combine(os, ".treeinfo"));
            Assert.Contains("[stage2]\nmainimage = images/install.img\n", raw, StringComparison.Ordinal);
            Assert.Contains("[images-x86_64]\n", raw, StringComparison.Ordinal);
        }
        // the optional variant and the addon's own trees get no boot files
        Assert.False(Directory.Exists(Path.Combine(top, "compose", "Server-optional", "x86_64", "os", "isolinux")));

        // No-op rebuild: lorax does not run again.
        var second = p.Build();
        Assert.True(second.ExitCode == 0, second.Describe());
        var rerun = second.Log.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Target>(t => t.Name == "Buildinstall")
            .Where(t => t.FindChild<Microsoft.Build.Logging.StructuredLogger.Task>() != null)
            .SelectMany(t => t.FindChildrenRecursive<Microsoft.Build.Logging.StructuredLogger.Message>(m => m.Text.Contains("newer", StringComparison.Ordinal) || m.Text.Contains("does not exist", StringComparison.Ordinal) || m.Text.Contains("completely", StringComparison.Ordinal)))
            .Select(m => m.Text).Take(3).ToList();
        Assert.True(rerun.Count == 0 && second.Ran("Buildinstall").Count == 0, "Buildinstall reran: " + string.Join("\n", rerun));

        // A failing lorax (a changed executable reruns the phase): PUNGI5152 quoting the log's last lines, compose DOOMED.
        BuildinstallFixtures.WriteWrapper(p.Dir, boot, expect, fail: 1);
        var third = p.Build();
        Assert.NotEqual(0, third.ExitCode);
        Assert.Contains("PUNGI5152", third.Output, StringComparison.Ordinal);
        Assert.Contains("Dependency check failed: nothing provides anaconda-core", third.Output, StringComparison.Ordinal);
        Assert.Equal("DOOMED", File.ReadAllText(Path.Combine(top, "STATUS")).Trim());
    }
}
