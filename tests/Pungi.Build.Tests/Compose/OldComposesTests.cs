using Pungi.Build.Compose;
using Xunit;

namespace Pungi.Build.Tests.Compose;

/// <summary>Pungi util.find_old_compose (spec §1.3).</summary>
public class OldComposesTests
{
    private static void Make(TempDir tmp, string name, string? status)
    {
        var d = Directory.CreateDirectory(Path.Combine(tmp.Path, name)).FullName;
        if (status is not null)
            File.WriteAllText(Path.Combine(d, "STATUS"), status + "\n");
    }

    [Fact]
    public void Picks_greatest_by_prefix_then_numeric_respin_with_allowed_status()
    {
        using var tmp = new TempDir();
        Make(tmp, "RHEL-8.4-updates-20210101.2", "FINISHED");
        Make(tmp, "RHEL-8.4-updates-20210101.10", "FINISHED_INCOMPLETE"); // 10 > 2 numerically
        Make(tmp, "RHEL-8.4-updates-20210102.0", "STARTED"); // not allowed
        Make(tmp, "RHEL-8.4-updates-testing-20210105.0", "FINISHED"); // -updates must not pick -updates-testing
        Make(tmp, "RHEL-8.4-updates-20201231.0", "DOOMED");
        Make(tmp, "RHEL-8.4-updates-20201230.0", null); // no STATUS
        var ci = ComposeInfo.Create(new ReleaseInfo("R", "RHEL", "8.4", "updates"), null, "production", "20210103");
        Assert.Equal(Path.Combine(tmp.Path, "RHEL-8.4-updates-20210101.10"), OldComposes.Find([tmp.Path, "/nonexistent"], ci));
        // Delta RPMs accept FINISHED and FINISHED_INCOMPLETE only; the current compose is never its own old compose.
        Assert.Equal(Path.Combine(tmp.Path, "RHEL-8.4-updates-20210101.2"),
            OldComposes.Find([tmp.Path], ci, [ComposeStatus.Finished], exclude: Path.Combine(tmp.Path, "RHEL-8.4-updates-20210101.10")));
    }

    [Fact]
    public void Latest_symlinks_are_skipped_and_layered_pattern_includes_base_product()
    {
        using var tmp = new TempDir();
        Make(tmp, "P-2.1-RHEL-7-20161110.t.0", "FINISHED");
        Make(tmp, "P-2.1-20161110.t.3", "FINISHED"); // not layered: different product line
        Directory.CreateSymbolicLink(Path.Combine(tmp.Path, "P-2.1-RHEL-7-99999999.t.9"), Path.Combine(tmp.Path, "P-2.1-RHEL-7-20161110.t.0"));
        var ci = ComposeInfo.Create(new ReleaseInfo("P", "P", "2.1"), new ReleaseInfo("R", "RHEL", "7"), "test", "20161111");
        Assert.Equal(Path.Combine(tmp.Path, "P-2.1-RHEL-7-20161110.t.0"), OldComposes.Find([tmp.Path], ci));
        Assert.Null(OldComposes.Find([tmp.Path], ComposeInfo.Create(new ReleaseInfo("Q", "Q", "1"), null, "test", "20161111")));
    }

    [Theory]
    [InlineData("FINISHED", null, true)]
    [InlineData("DOOMED", new[] { "finished", "finished_incomplete" }, false)]
    [InlineData("FINISHED", new[] { "finished" }, true)]
    public void Latest_link_status_filter(string status, string[]? allowed, bool expected)
        => Assert.Equal(expected, LatestLink.ShouldUpdate(status, allowed));
}
