using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Xunit;

namespace Pungi.Build.Tests.Compose;

public class ComposeStatusTests
{
    [Fact]
    public void Status_is_one_word_and_newline_and_same_value_is_a_no_op()
    {
        using var tmp = new TempDir();
        Assert.Null(ComposeStatus.Read(tmp.Path));
        Assert.True(ComposeStatus.Write(tmp.Path, ComposeStatus.Started));
        Assert.Equal("STARTED\n", File.ReadAllText(Path.Combine(tmp.Path, "STATUS")));
        var before = File.GetLastWriteTimeUtc(Path.Combine(tmp.Path, "STATUS"));
        File.SetLastWriteTimeUtc(Path.Combine(tmp.Path, "STATUS"), before.AddHours(-1));
        Assert.False(ComposeStatus.Write(tmp.Path, ComposeStatus.Started)); // Compose.write_status: same value → no-op
        Assert.Equal(before.AddHours(-1), File.GetLastWriteTimeUtc(Path.Combine(tmp.Path, "STATUS")));
        Assert.Equal("STARTED", ComposeStatus.Read(tmp.Path));
    }

    [Fact]
    public void Rerun_may_rewrite_finished_to_started_by_default_design_3()
    {
        using var tmp = new TempDir();
        ComposeStatus.Write(tmp.Path, ComposeStatus.Finished);
        Assert.True(ComposeStatus.Write(tmp.Path, ComposeStatus.Started));
        Assert.Equal("STARTED", ComposeStatus.Read(tmp.Path));
    }

    [Fact]
    public void Upstream_rule_never_overwrites_finished()
    {
        using var tmp = new TempDir();
        ComposeStatus.Write(tmp.Path, ComposeStatus.Finished);
        var ex = Assert.Throws<PungiException>(() => ComposeStatus.Write(tmp.Path, ComposeStatus.Doomed, protectFinished: true));
        Assert.Equal(ErrorCodes.StatusOverFinished, ex.Code);
        Assert.Equal("FINISHED", ComposeStatus.Read(tmp.Path));
        Assert.False(ComposeStatus.Write(tmp.Path, ComposeStatus.Finished, protectFinished: true));
    }

    [Fact]
    public void Standard_values_are_pungis_five()
    {
        Assert.Equal(["STARTED", "FINISHED", "FINISHED_INCOMPLETE", "DOOMED", "TERMINATED"], ComposeStatus.Standard);
        Assert.False(ComposeStatus.IsStandard("RUNNING"));
    }

    [Fact]
    public void Write_leaves_no_temporary_files()
    {
        using var tmp = new TempDir();
        ComposeStatus.Write(tmp.Path, ComposeStatus.Started);
        ComposeStatus.Write(tmp.Path, ComposeStatus.Doomed);
        Assert.Equal(["STATUS"], Directory.GetFiles(tmp.Path).Select(Path.GetFileName));
    }
}

public class AtomicFileTests
{
    [Fact]
    public void Writes_only_when_content_differs_and_keeps_timestamp_otherwise()
    {
        using var tmp = new TempDir();
        var p = Path.Combine(tmp.Path, "sub", "a.txt");
        Assert.True(AtomicFile.WriteIfChanged(p, "one"));
        File.SetLastWriteTimeUtc(p, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.False(AtomicFile.WriteIfChanged(p, "one"));
        Assert.Equal(new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc), File.GetLastWriteTimeUtc(p));
        Assert.True(AtomicFile.WriteIfChanged(p, "two"));
        Assert.Equal("two", File.ReadAllText(p));
        Assert.True(AtomicFile.WriteIfChanged(p, "twO")); // same length, different byte
        Assert.Equal("twO", File.ReadAllText(p));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(p)!));
    }

    [Fact]
    public void Utf8_without_bom()
    {
        using var tmp = new TempDir();
        var p = Path.Combine(tmp.Path, "u.txt");
        AtomicFile.WriteIfChanged(p, "é");
        Assert.Equal(new byte[] { 0xC3, 0xA9 }, File.ReadAllBytes(p));
    }

    [Fact]
    public void Streaming_overload_compares_then_replaces()
    {
        using var tmp = new TempDir();
        var p = Path.Combine(tmp.Path, "big.bin");
        var data = Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7)).ToArray();
        Assert.True(AtomicFile.WriteIfChanged(p, s => s.Write(data)));
        Assert.False(AtomicFile.WriteIfChanged(p, s => s.Write(data)));
        data[299_999] ^= 1;
        Assert.True(AtomicFile.WriteIfChanged(p, s => s.Write(data)));
        Assert.Equal(data, File.ReadAllBytes(p));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void A_failing_writer_leaves_the_old_file_and_no_temp()
    {
        using var tmp = new TempDir();
        var p = Path.Combine(tmp.Path, "f.txt");
        AtomicFile.WriteIfChanged(p, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.WriteIfChanged(p, _ => throw new InvalidOperationException("boom")));
        Assert.Equal("old", File.ReadAllText(p));
        Assert.Single(Directory.GetFiles(tmp.Path));
    }
}

public class ComposeDirectoryTests
{
    private static readonly ComposeInfo Ci = ComposeInfo.Create(new ReleaseInfo("Dummy Product", "DP", "1.0"), null, "test", "20261127");

    [Fact]
    public void Default_reuses_the_same_respin_directory_and_writes_compose_id_without_newline()
    {
        using var tmp = new TempDir();
        var (c1, d1) = ComposeDirectory.Prepare(tmp.Path, Ci);
        var (c2, d2) = ComposeDirectory.Prepare(tmp.Path, Ci);
        Assert.Equal(d1, d2);
        Assert.Equal("DP-1.0-20261127.t.0", c2.Id);
        Assert.Equal(Path.Combine(tmp.Path, "DP-1.0-20261127.t.0"), d1);
        Assert.Equal("DP-1.0-20261127.t.0", File.ReadAllText(Path.Combine(d1, "COMPOSE_ID")));
        Assert.Equal(c1, c2);
    }

    [Fact]
    public void NewRespin_picks_the_first_free_respin_like_pungi_mkdir_retry()
    {
        using var tmp = new TempDir();
        Directory.CreateDirectory(Path.Combine(tmp.Path, "DP-1.0-20261127.t.0"));
        Directory.CreateDirectory(Path.Combine(tmp.Path, "DP-1.0-20261127.t.1"));
        var (c, d) = ComposeDirectory.Prepare(tmp.Path, Ci, newRespin: true);
        Assert.Equal(2, c.Respin);
        Assert.Equal("DP-1.0-20261127.t.2", c.Id);
        Assert.Equal("DP-1.0-20261127.t.2", Path.GetFileName(d));
        var (c3, _) = ComposeDirectory.Prepare(tmp.Path, Ci, newRespin: true);
        Assert.Equal(3, c3.Respin);
    }
}

public class LatestLinkTests
{
    private static ComposeInfo Make(string version, ReleaseInfo? bp = null)
        => ComposeInfo.Create(new ReleaseInfo("P", "Fedora", version), bp, "nightly", "20261127");

    [Theory]
    [InlineData("41", -1, "latest-Fedora-41")]
    [InlineData("8.4", -1, "latest-Fedora-8")]
    [InlineData("8.4.1", -1, "latest-Fedora-8.4")]
    [InlineData("8.4", -5, "latest-Fedora-8")]
    [InlineData("8.4", 0, "latest-Fedora")]
    [InlineData("8.4", 1, "latest-Fedora-8")]
    [InlineData("8.4", 2, "latest-Fedora-8.4")]
    [InlineData("8.4", 9, "latest-Fedora-8.4")]
    public void Name_components_rule_spec_2_0_4(string version, int components, string expected)
        => Assert.Equal(expected, LatestLink.Name(Make(version), components));

    [Fact]
    public void Layered_adds_base_product()
        => Assert.Equal("latest-Fedora-2-RHEL-7", LatestLink.Name(Make("2.1", new ReleaseInfo("R", "RHEL", "7"))));

    [Fact]
    public void Link_is_relative_to_the_basename_and_replaced()
    {
        using var tmp = new TempDir();
        var a = Directory.CreateDirectory(Path.Combine(tmp.Path, "Fedora-41-20261127.n.0")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(tmp.Path, "Fedora-41-20261127.n.1")).FullName;
        Assert.True(LatestLink.Update(a, "latest-Fedora-41"));
        var link = Path.Combine(tmp.Path, "latest-Fedora-41");
        Assert.Equal("Fedora-41-20261127.n.0", new FileInfo(link).LinkTarget);
        Assert.False(LatestLink.Update(a, "latest-Fedora-41"));
        Assert.True(LatestLink.Update(b, "latest-Fedora-41"));
        Assert.Equal("Fedora-41-20261127.n.1", new FileInfo(link).LinkTarget);
        Assert.True(Directory.Exists(a)); // the old target is untouched
        Assert.Equal(3, Directory.GetFileSystemEntries(tmp.Path).Length);
    }
}
