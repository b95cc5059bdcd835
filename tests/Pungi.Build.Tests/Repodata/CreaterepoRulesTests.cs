using Xunit;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Repodata;

/// <summary>createrepo_c 0.17's header rules (src/parsehdr.c, src/misc.c), each worked out by hand.</summary>
public class CreaterepoRulesTests
{
    private static RpmPackage Pkg(IReadOnlyList<Dependency>? provides = null, IReadOnlyList<Dependency>? requires = null,
        IReadOnlyList<PackageFile>? files = null) => new()
    {
        Name = "p", Version = "1", Release = "1", Arch = "x86_64", Checksum = "00",
        Provides = provides ?? [], Requires = requires ?? [], Files = files ?? [],
    };

    private static List<string> Req(RpmPackage p) => CreaterepoRules.Dependencies(p).Requires
        .Select(d => d.Name + (d.Flags is null ? "" : " " + d.Flags + " " + d.Epoch + ":" + d.Version + (d.Release is null ? "" : "-" + d.Release)) + (d.Pre ? " pre" : "")).ToList();

    [Theory]
    [InlineData("/etc/foo.conf", true)]        // /etc/*
    [InlineData("/usr/bin/foo", true)]         // *bin/*
    [InlineData("/opt/x/sbin/y", true)]        // bin/ anywhere
    [InlineData("/usr/lib/sendmail", true)]    // the one named file
    [InlineData("/usr/lib/sendmail2", false)]
    [InlineData("/etc", false)]                // the directory itself does not match /etc/
    [InlineData("/usr/share/binary", false)]   // "bin" without the slash
    public void Primary_files_are_etc_bin_and_sendmail(string path, bool primary)
        => Assert.Equal(primary, CreaterepoRules.IsPrimaryFile(path));

    [Fact]
    public void Rpmlib_requires_are_dropped()
        => Assert.Equal(["a"], Req(Pkg(requires: [new("rpmlib(CompressedFileNames)", DependencyFlags.RpmLib | DependencyFlags.Less | DependencyFlags.Equal, "3.0.4-1"), new("a")])));

    [Fact]
    public void Requires_of_own_primary_files_are_dropped_but_not_other_own_files()
        => Assert.Equal(["/usr/share/own", "/etc/other"], Req(Pkg(
            requires: [new("/etc/own.conf"), new("/usr/bin/own"), new("/usr/share/own"), new("/etc/other")],
            files: [new("/etc/own.conf"), new("/usr/bin/own"), new("/usr/share/own")])));

    [Fact]
    public void Require_equal_to_an_own_provide_in_name_flags_and_version_is_dropped()
        => Assert.Equal(["cap", "cap GE 0:2"], Req(Pkg(
            provides: [new("cap", DependencyFlags.Equal, "1.0")],
            requires: [new("cap", DependencyFlags.Equal, "1.0"), new("cap"), new("cap", DependencyFlags.Greater | DependencyFlags.Equal, "2")])));

    [Fact]
    public void Repeat_of_the_last_kept_require_is_dropped_but_a_pre_variant_is_kept()
        => Assert.Equal(["a", "a pre", "b"], Req(Pkg(requires: [new("a"), new("a"), new("a", DependencyFlags.ScriptPre), new("a", DependencyFlags.ScriptPost), new("b")])));

    [Fact]
    public void Pre_comes_from_prereq_script_pre_and_script_post_only()
        => Assert.Equal(["a pre", "b pre", "c pre", "d", "e"], Req(Pkg(requires: [
            new("a", DependencyFlags.PreReq), new("b", DependencyFlags.ScriptPre), new("c", DependencyFlags.ScriptPost),
            new("d", DependencyFlags.ScriptPreUn), new("e", DependencyFlags.PostTrans)])));

    [Fact]
    public void Only_the_highest_libc_so_6_require_is_kept_and_it_goes_last()
        => Assert.Equal(["x", "y", "libc.so.6(GLIBC_2.4)(64bit)"], Req(Pkg(requires: [
            new("libc.so.6()(64bit)"), new("x"), new("libc.so.6(GLIBC_2.4)(64bit)"), new("libc.so.6(GLIBC_2.3.4)(64bit)"), new("y")])));

    [Fact]
    public void Dependency_version_splits_at_first_colon_and_first_dash_and_epoch_defaults_to_0()
    {
        Assert.Equal(("0", "1.7", null), CreaterepoRules.SplitEvr("1.7", out _));
        Assert.Equal(("2", "1.0", "3-4"), CreaterepoRules.SplitEvr("2:1.0-3-4", out _));
        CreaterepoRules.SplitEvr("x:1.0", out bool bad);
        Assert.True(bad); // createrepo_c skips such a dependency
        Assert.Equal(["ok GE 0:1"], Req(Pkg(requires: [new("bad", DependencyFlags.Greater | DependencyFlags.Equal, "x:1"), new("ok", DependencyFlags.Greater | DependencyFlags.Equal, "1")])));
    }

    [Fact]
    public void Changelogs_keep_the_newest_ten_oldest_first_with_equal_dates_pushed_apart()
    {
        // Header order is newest first; three entries share a date.
        var header = new List<ChangelogEntry> { new("C  ", 300, "c"), new("B", 200, "b2"), new("B", 200, "b1"), new("A", 100, "a") };
        var written = CreaterepoRules.Changelogs(header);
        Assert.Equal(["a", "b1", "b2", "c"], written.Select(c => c.Text));
        Assert.Equal([100L, 200, 201, 300], written.Select(c => c.Date)); // the newer of the equal pair moves up a second
        Assert.Equal("C", written[3].Author); // trailing blanks trimmed
        var many = Enumerable.Range(0, 15).Select(i => new ChangelogEntry("x", 1000 - i, i.ToString())).ToList();
        Assert.Equal(["9", "8", "7", "6", "5", "4", "3", "2", "1", "0"], CreaterepoRules.Changelogs(many).Select(c => c.Text));
    }

    [Fact]
    public void Libc_comparison_follows_cr_compare_dependency()
    {
        Assert.Equal(2, CreaterepoRules.CompareLibc("libc.so.6()(64bit)", "libc.so.6(GLIBC_2.3.4)(64bit)"));
        Assert.Equal(1, CreaterepoRules.CompareLibc("libc.so.6(GLIBC_2.4)", "libc.so.6(GLIBC_2.3.4)"));
        Assert.Equal(0, CreaterepoRules.CompareLibc("libc.so.6", "libc.so.6"));
    }
}
