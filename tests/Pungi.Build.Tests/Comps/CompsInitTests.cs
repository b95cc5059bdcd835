using System.Text;
using Pungi.Build.Comps;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>Init's comps files (spec §2.1, §4.4) and the write-only-when-changed rule (DESIGN.md §1).</summary>
public class CompsInitTests
{
    private static readonly string DummyComps = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");

    [Fact]
    public void Paths_FollowPungiWorkPaths()
    {
        var work = Path.Combine("/c", "work");
        Assert.Equal("/c/work/global/comps/comps-global.xml", CompsPaths.Global(work));
        Assert.Equal("/c/work/x86_64/comps/comps-x86_64.xml", CompsPaths.ForArch(work, "x86_64"));
        Assert.Equal("/c/work/s390x/comps/comps-Server-optional.s390x.xml", CompsPaths.ForVariant(work, "Server-optional", "s390x"));
        Assert.Equal("/c/work/x86_64/comps_repo", CompsPaths.ArchRepo(work, "x86_64"));
        Assert.Equal("/c/work/x86_64/comps_repo_Server", CompsPaths.VariantRepo(work, "Server", "x86_64"));
    }

    [Fact]
    public void WriteIfChanged_LeavesEqualFileUntouched_ReplacesDifferentOne_LeavesNoTempFiles()
    {
        var dir = CompsInterop.TempDir();
        var path = Path.Combine(dir, "sub", "f.xml");
        Assert.True(ContentFile.WriteIfChanged(path, "one"u8));
        var stamp = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        File.SetLastWriteTimeUtc(path, stamp);
        Assert.False(ContentFile.WriteIfChanged(path, "one"u8));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
        Assert.True(ContentFile.WriteIfChanged(path, "two!"u8));
        Assert.Equal("two!", File.ReadAllText(path));
        Assert.True(ContentFile.WriteIfChanged(path, "tw0!"u8)); // same length, other bytes
        Assert.Equal("tw0!", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.Combine(dir, "sub")));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_WritesUpstreamFileSet_AndASecondRunChangesNothing()
    {
        var dir = CompsInterop.TempDir();
        var work = Path.Combine(dir, "work");
        var variants = DummyCompsTests.ExampleVariants();
        var first = CompsInit.Run(DummyComps, work, variants);

        var expected = new List<string> { "global/comps/comps-global.xml" };
        expected.AddRange(new[] { "i386", "s390x", "x86_64" }.Select(a => $"{a}/comps/comps-{a}.xml"));
        expected.AddRange(variants.SelectMany(v => v.Arches.Select(a => $"{a}/comps/comps-{v.Variant.Uid}.{a}.xml")));
        Assert.Equal(expected.Order(StringComparer.Ordinal), first.Files.Select(f => Path.GetRelativePath(work, f.Path)).Order(StringComparer.Ordinal));
        Assert.All(first.Files, f => Assert.True(f.Changed));
        Assert.Equal(File.ReadAllBytes(DummyComps), File.ReadAllBytes(CompsPaths.Global(work))); // verbatim copy
        Assert.Empty(first.Diagnostics);

        var second = CompsInit.Run(DummyComps, work, variants);
        Assert.All(second.Files, f => Assert.False(f.Changed));
        Directory.Delete(dir, true);
    }

    [Fact]
    public void EditingOneGroup_RewritesOnlyTheVariantsThatContainIt()
    {
        var dir = CompsInterop.TempDir();
        var work = Path.Combine(dir, "work");
        var input = Path.Combine(dir, "comps.xml");
        File.Copy(DummyComps, input);
        var variants = DummyCompsTests.ExampleVariants();
        CompsInit.Run(input, work, variants);

        // gluster is only in Server-Gluster (and in the variants that keep every group: Everything and Live).
        File.WriteAllText(input, File.ReadAllText(input).Replace("<packagereq type=\"mandatory\">dummy-glusterfs-resource-agents</packagereq>",
            "<packagereq type=\"mandatory\">dummy-glusterfs-resource-agents</packagereq><packagereq>dummy-gluster-extra</packagereq>"));
        var changed = CompsInit.Run(input, work, variants).Files.Where(f => f.Changed && f.VariantUid != null)
            .Select(f => $"{f.VariantUid}.{f.Arch}").Order(StringComparer.Ordinal);
        Assert.Equal(["Everything.i386", "Everything.x86_64", "Live.x86_64", "Server-Gluster.x86_64"], changed);
        Directory.Delete(dir, true);
    }

    [Fact]
    public void Run_RejectsWhitespaceInPackageNames_BeforeWritingAnything()
    {
        var dir = CompsInterop.TempDir();
        var input = Path.Combine(dir, "comps.xml");
        File.WriteAllText(input, "<comps>\n<group><id>g</id><packagelist><packagereq>bash </packagereq></packagelist></group>\n</comps>", Encoding.UTF8);
        var e = Assert.Throws<Pungi.Build.Diagnostics.PungiException>(() => CompsInit.Run(input, Path.Combine(dir, "work"), DummyCompsTests.ExampleVariants()));
        Assert.Equal(Pungi.Build.Diagnostics.ErrorCodes.CompsPackageWhitespace, e.Code);
        Assert.False(Directory.Exists(Path.Combine(dir, "work")));
        Directory.Delete(dir, true);
    }
}
