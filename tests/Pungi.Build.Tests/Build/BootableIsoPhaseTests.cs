using System.Text.Json;
using Pungi.Build.Iso;
using Pungi.Build.Metadata;
using Pungi.Build.Tests.Iso;

namespace Pungi.Build.Tests.Build;

/// <summary>
/// Createiso in the sample compose with Buildinstall configured (spec §2.8, §7.3, §7.4; issue 8). The os tree of
/// Server.x86_64 gets make-test-iso.sh's boot files, standing in for what Buildinstall links there; Workstation.x86_64
/// gets none, as when its Buildinstall failed. Then split media of the same compose without Buildinstall.
/// </summary>
[Collection("spawned builds")]
public sealed class BootableIsoPhaseTests
{
    private const string Id = "SAMPLE-1.0-20261127.t.0";

    [SkippableFact]
    public void BootableServerDvd_ThenSplitMedia()
    {
        _ = BootFiles.Tree; // skips (or fails under PUNGI_REQUIRE_INTEROP=1) without the tools
        using var p = SampleCompose.Create();
        var first = p.Build("-p:SkipPhases=createiso");
        Assert.True(first.ExitCode == 0, first.Describe());
        var top = SampleCompose.TopDir(p);
        var compose = Path.Combine(top, "compose");
        var serverOs = Path.Combine(compose, "Server", "x86_64", "os");
        BootFiles.CopyInto(serverOs);

        // §2.9 extra_isos: a unified Server+Workstation image, named by a template using the normal name's keys.
        File.WriteAllText(p.ProjectPath, File.ReadAllText(p.ProjectPath).Replace("</ItemGroup>",
            "  <ExtraIso Include=\"{compose_id}-Server-{arch}-unified.iso\" Variant=\"^Server$\" IncludeVariants=\"Workstation\" SkipSrc=\"true\" />\n  </ItemGroup>", StringComparison.Ordinal));

        // §2.8: bootable iff arch != src, type variant, buildinstall_method set (and its output is there).
        // The boot files copied in above stand in for Buildinstall's output, so the phase itself is skipped (its own
        // test, Buildinstall/BuildinstallPhaseTests, runs it with a lorax stand-in).
        var boot = p.Build("-p:BuildinstallMethod=lorax", "-p:SkipPhases=buildinstall");
        Assert.True(boot.ExitCode == 0, boot.Describe());
        var dvdName = $"{Id}-Server-x86_64-dvd1.iso";
        var dvd = Path.Combine(compose, "Server", "x86_64", "iso", dvdName);
        var report = Iso.Interop.RunOk("xorriso", "-indev", dvd, "-report_el_torito", "plain");
        Assert.Matches(@"El Torito boot img :\s+1\s+BIOS\s+y\s+none", report);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none", report);
        Assert.Contains("Volume id: SAMPLE-1.0 Server.x86_64\n", Iso.Interop.RunOk("isoinfo", "-d", "-i", dvd), StringComparison.Ordinal);
        Assert.True(new FileInfo(dvd).Length > 2_000_000, "checkisomd5 wants an image of at least 2 MB to check it");
        var md5 = Iso.Interop.Run("checkisomd5", dvd);
        Assert.True(md5.Code == 0, md5.Out + md5.Err);
        // Workstation.x86_64 has no boot files: skipped with a warning, no ISO.
        Assert.False(File.Exists(Path.Combine(compose, "Workstation", "x86_64", "iso", $"{Id}-Workstation-x86_64-dvd1.iso")));
        Assert.Contains("Workstation.x86_64: skipped: bootable, but Buildinstall left no isolinux/isolinux.bin", boot.Output, StringComparison.Ordinal);

        // §7.4 staging: the image carries .treeinfo with [media] discnum/totaldiscs and .discinfo with disc number 1.
        var staging = Path.Combine(top, "work", "x86_64", "iso", dvdName);
        var ti = TreeInfo.Read(Path.Combine(staging, ".treeinfo"));
        Assert.Equal((1, 1), (ti.DiscNum, ti.TotalDiscs));
        Assert.Equal("1", DiscInfo.Read(Path.Combine(staging, ".discinfo")).DiscNumbers);
        Assert.Equal("ALL", DiscInfo.Read(Path.Combine(serverOs, ".discinfo")).DiscNumbers);
        BootFiles.AssertExtractionMatches(dvd,
            BootFiles.TreeFiles(serverOs, [(".treeinfo", Path.Combine(staging, ".treeinfo")), (".discinfo", Path.Combine(staging, ".discinfo"))]),
            "isolinux/boot.cat", top);

        var images = ImagesOf(compose);
        Assert.True(images[$"Server/x86_64/iso/{dvdName}"].GetProperty("bootable").GetBoolean());

        // The unified image: bootable (Server's boot files), <uid>/Packages and <uid>/repodata of both variants, a
        // .treeinfo listing both with packages = <uid>/Packages and repository = <uid>; images.json unified flags.
        var unifiedRel = $"Server/x86_64/iso/{Id}-Server-x86_64-unified.iso";
        var unified = Path.Combine(compose, unifiedRel);
        Assert.Matches(@"El Torito boot img :\s+2\s+UEFI\s+y\s+none", Iso.Interop.RunOk("xorriso", "-indev", unified, "-report_el_torito", "plain"));
        Assert.True(IsoMd5.Check(unified).Passed);
        using (var reader = IsoReader.Open(unified))
        {
            Assert.Equal("SAMPLE-1.0 Server.x86_64", reader.VolumeId.TrimEnd());
            var paths = reader.Walk().Where(e => e.Kind == IsoEntryKind.File).Select(e => e.Path.TrimStart('/')).ToList();
            foreach (var uid in new[] { "Server", "Workstation" })
            {
                var osTree = Path.Combine(compose, uid, "x86_64", "os");
                var rpms = Directory.EnumerateFiles(Path.Combine(osTree, "Packages"), "*.rpm", SearchOption.AllDirectories)
                    .Select(f => uid + "/Packages/" + Path.GetRelativePath(Path.Combine(osTree, "Packages"), f)).Order(StringComparer.Ordinal);
                Assert.Equal(rpms, paths.Where(x => x.StartsWith(uid + "/Packages/", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
                Assert.Contains(uid + "/repodata/repomd.xml", paths);
            }
            Assert.Contains("isolinux/isolinux.bin", paths);
            using var s = new StreamReader(reader.OpenRead(".treeinfo"));
            var uti = TreeInfo.Parse(s.ReadToEnd());
            Assert.Equal(["Server", "Workstation"], uti.Variants.Select(x => x.Uid).Order(StringComparer.Ordinal).ToArray());
            Assert.All(uti.Variants, x => Assert.Equal((x.Uid + "/Packages", x.Uid), (x.Packages, x.Repository)));
            Assert.Equal((1, 1), (uti.DiscNum, uti.TotalDiscs));
        }
        var ue = images[unifiedRel];
        Assert.True(ue.GetProperty("unified").GetBoolean());
        Assert.Equal(["Workstation"], ue.GetProperty("additional_variants").EnumerateArray().Select(x => x.GetString()!).ToArray());
        Assert.True(ue.GetProperty("bootable").GetBoolean());
        Assert.False(images.ContainsKey($"Server/source/iso/{Id}-Server-source-unified.iso"), "SkipSrc");
        Assert.False(images[$"Server/source/iso/{Id}-Server-source-dvd1.iso"].GetProperty("bootable").GetBoolean());

        // §7.3 split media without Buildinstall: 150 KiB media; the Server source tree (~170 KB) takes two discs.
        // (The boot files go first: a 540 KB BOOTX64.EFI fits no such disc, PUNGI5029.)
        foreach (var d in new[] { "EFI", "isolinux", "images" }) Directory.Delete(Path.Combine(serverOs, d), recursive: true);
        var split = p.Build("-p:IsoSize=150k", "-p:SplitIsoReserve=0");
        Assert.True(split.ExitCode == 0, split.Describe());
        var srcIso = Path.Combine(compose, "Server", "source", "iso");
        var discs = Directory.EnumerateFiles(srcIso, "*.iso").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.True(discs.Count >= 2, string.Join(", ", discs));
        Assert.Equal(Enumerable.Range(1, discs.Count).Select(n => $"{Id}-Server-source-dvd{n}.iso"), discs);
        images = ImagesOf(compose);
        var tree = Path.Combine(compose, "Server", "source", "tree");
        var onDiscs = new List<string>();
        for (int n = 1; n <= discs.Count; n++)
        {
            var iso = Path.Combine(srcIso, discs[n - 1]!);
            var entry = images[$"Server/source/iso/{discs[n - 1]}"];
            Assert.Equal((n, discs.Count), (entry.GetProperty("disc_number").GetInt32(), entry.GetProperty("disc_count").GetInt32()));
            Assert.False(entry.GetProperty("bootable").GetBoolean());
            Assert.True(new FileInfo(iso).Length < 150 * 1024 + 400 * 1024, "a disc holds at most the media size plus ISO overhead");
            using var reader = IsoReader.Open(iso);
            var files = reader.Walk().Where(e => e.Kind == IsoEntryKind.File).Select(e => e.Path.TrimStart('/')).ToList();
            // Sticky media.repo on every disc; each disc's .discinfo and .treeinfo say which disc it is.
            Assert.Contains("media.repo", files);
            using (var s = new StreamReader(reader.OpenRead(".discinfo"))) Assert.Equal(n.ToString(System.Globalization.CultureInfo.InvariantCulture), DiscInfo.Parse(s.ReadToEnd()).DiscNumbers);
            using (var s = new StreamReader(reader.OpenRead(".treeinfo")))
            {
                var discTi = TreeInfo.Parse(s.ReadToEnd());
                Assert.Equal((n, discs.Count), (discTi.DiscNum, discTi.TotalDiscs));
                Assert.True(discTi.Checksums.ContainsKey("repodata/repomd.xml"), "split media recompute the repomd checksum (§7.3)");
            }
            // Each disc's own repodata lists exactly the packages on it.
            using (var s = new StreamReader(reader.OpenRead("repodata/repomd.xml")))
                Assert.Contains("primary", s.ReadToEnd(), StringComparison.Ordinal);
            onDiscs.AddRange(files.Where(f => f.EndsWith(".rpm", StringComparison.Ordinal)));
        }
        // Every package of the tree is on exactly one disc.
        var treeRpms = Directory.EnumerateFiles(tree, "*.rpm", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(tree, f)).Order(StringComparer.Ordinal);
        Assert.Equal(treeRpms, onDiscs.Order(StringComparer.Ordinal));
    }

    private static Dictionary<string, JsonElement> ImagesOf(string compose)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(compose, "metadata", "images.json")));
        var map = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var variant in doc.RootElement.GetProperty("payload").GetProperty("images").EnumerateObject())
            foreach (var arch in variant.Value.EnumerateObject())
                foreach (var image in arch.Value.EnumerateArray())
                    map[image.GetProperty("path").GetString()!] = image.Clone();
        return map;
    }
}
