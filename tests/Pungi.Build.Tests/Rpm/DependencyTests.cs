using Pungi.Build.Diagnostics;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Rpm;

public class DependencyTests
{
    private static Dependency D(string name, DependencyFlags f = DependencyFlags.None, string? v = null) => new(name, f, v);
    private const DependencyFlags EQ = DependencyFlags.Equal, LT = DependencyFlags.Less, GT = DependencyFlags.Greater;

    // rpmdsCompare: the overlap of two ranges, worked out by hand from the sense rules.
    [Theory]
    [InlineData("=", "1.0-1", ">=", "1.0", true)]     // provide = 1.0-1 satisfies >= 1.0
    [InlineData("=", "1.0-1", ">", "1.0", false)]     // release ignored when the require has none: 1.0 > 1.0 is false
    [InlineData("=", "1.0-1", "=", "1.0", true)]      // missing release matches any
    [InlineData("=", "1.0-1", "=", "1.0-2", false)]
    [InlineData("=", "1:1.0-1", ">", "2.0", true)]    // epoch wins
    [InlineData("=", "1.0-1", "<", "0:1.1", true)]    // missing epoch is 0
    [InlineData("<", "2.0", ">", "1.0", true)]        // two open ranges overlap
    [InlineData("<", "1.0", ">", "2.0", false)]
    [InlineData("<=", "1.0", ">=", "1.0", true)]
    [InlineData("<", "1.0", ">=", "1.0", false)]
    [InlineData("=", "1.0~rc1-1", ">=", "1.0", false)] // tilde sorts before the release
    public void Overlaps_FollowsRpmdsCompare(string provOp, string provEvr, string reqOp, string reqEvr, bool expected)
    {
        Assert.Equal(expected, D("foo", Op(provOp), provEvr).Overlaps(D("foo", Op(reqOp), reqEvr)));
        Assert.Equal(expected, D("foo", Op(reqOp), reqEvr).Overlaps(D("foo", Op(provOp), provEvr)));
    }

    [Fact]
    public void Overlaps_UnversionedSideAlwaysMatches_DifferentNamesNever()
    {
        Assert.True(D("foo").Overlaps(D("foo", LT, "0.1")));
        Assert.True(D("foo", EQ, "9").Overlaps(D("foo")));
        Assert.False(D("foo").Overlaps(D("bar")));
    }

    private static DependencyFlags Op(string op) => op switch
    {
        "<" => LT, ">" => GT, "=" => EQ, "<=" => LT | EQ, ">=" => GT | EQ, _ => DependencyFlags.None,
    };

    private static RpmPackage Pkg() => new()
    {
        Name = "dummy-bash", Epoch = "1", Version = "4.2.37", Release = "6", Arch = "x86_64",
        Provides = [D("dummy-bash(x86-64)", EQ, "1:4.2.37-6"), D("sh-provider"), D("/bin/sh")],
        Files = [new PackageFile("/usr/bin/bash"), new PackageFile("/etc/skel", PackageFileType.Dir), new PackageFile("/var/run/x", PackageFileType.Ghost)],
    };

    [Fact]
    public void Provides_SelfProvideWithEpoch()
    {
        var p = Pkg();
        Assert.True(DependencyMatching.Provides(p, D("dummy-bash")));
        Assert.True(DependencyMatching.Provides(p, D("dummy-bash", EQ, "1:4.2.37")));
        Assert.True(DependencyMatching.Provides(p, D("dummy-bash", GT, "4.3")));        // epoch 1 beats the missing (0) one
        Assert.False(DependencyMatching.Provides(p, D("dummy-bash", GT | EQ, "2:1")));
        Assert.False(DependencyMatching.Provides(p, D("dummy-bash", LT, "1:4.2.37-6")));
    }

    [Fact]
    public void Provides_FileRequiresMatchFileListAndExplicitFileProvides()
    {
        var p = Pkg();
        Assert.True(DependencyMatching.Provides(p, D("/usr/bin/bash")));
        Assert.True(DependencyMatching.Provides(p, D("/etc/skel")));     // directories count
        Assert.True(DependencyMatching.Provides(p, D("/var/run/x")));    // ghosts count (libsolv indexes them)
        Assert.True(DependencyMatching.Provides(p, D("/bin/sh")));       // explicit provide
        Assert.False(DependencyMatching.Provides(p, D("/usr/bin/zsh")));
    }

    [Fact]
    public void Provides_RichRequirementEvaluatedOverThePackage()
    {
        var p = Pkg();
        Assert.True(DependencyMatching.Provides(p, D("(sh-provider and dummy-bash >= 4)")));
        Assert.True(DependencyMatching.Provides(p, D("(missing or /usr/bin/bash)")));
        Assert.False(DependencyMatching.Provides(p, D("(sh-provider without dummy-bash)")));
        Assert.True(DependencyMatching.Provides(p, D("(sh-provider with dummy-bash(x86-64))")));
    }

    private static RpmPackage WithRequires(params Dependency[] requires) => new()
    {
        Name = "p", Version = "1", Release = "1", Arch = "x86_64",
        Provides = [D("p", EQ, "1-1"), D("cap", EQ, "2")],
        Files = [new PackageFile("/etc/p.conf"), new PackageFile("/usr/share/p/data")],
        Requires = requires,
    };

}

public class RichDependencyTests
{
    [Theory]
    [InlineData("(a and b)", "(a and b)")]
    [InlineData("(a or b or c)", "(a or b or c)")]
    [InlineData("(a if b)", "(a if b)")]
    [InlineData("(a if b else c)", "(a if b else c)")]
    [InlineData("(a unless b else c)", "(a unless b else c)")]
    [InlineData("(a with b)", "(a with b)")]
    [InlineData("(a without b)", "(a without b)")]
    [InlineData("(foo >= 1.0 and (bar < 2 or baz = 1:3-4))", "(foo >= 1.0 and (bar < 2 or baz = 1:3-4))")]
    [InlineData("(perl(Foo::Bar) >= 1.2 or python3dist(x))", "(perl(Foo::Bar) >= 1.2 or python3dist(x))")]
    [InlineData("((a or b) if (c and d) else (e with f))", "((a or b) if (c and d) else (e with f))")]
    [InlineData("( a   and   b )", "(a and b)")]
    [InlineData("(a)", "a")]
    public void Parse_RoundTrips(string text, string expected) => Assert.Equal(expected, RichDependency.Parse(text).ToString());

    [Fact]
    public void Parse_ProducesTree()
    {
        var r = Assert.IsType<RichDependency.Conditional>(RichDependency.Parse("(sy1 if sy0 >= 1.0)"));
        Assert.Equal(RichOperator.If, r.Operator);
        Assert.Equal("sy1", Assert.IsType<RichDependency.Simple>(r.Then).Dependency.Name);
        var cond = Assert.IsType<RichDependency.Simple>(r.Condition).Dependency;
        Assert.Equal(("sy0", DependencyFlags.Greater | DependencyFlags.Equal, "1.0"), (cond.Name, cond.Flags, cond.Version));
        Assert.Null(r.Else);
    }

    [Theory]
    [InlineData("a and b")]            // no parentheses
    [InlineData("(a and b")]           // unclosed
    [InlineData("(a and b or c)")]     // mixed operators need parentheses (rpm)
    [InlineData("(a without b without c)")]
    [InlineData("(a if b if c)")]
    [InlineData("(and b)")]
    [InlineData("(a >= )")]
    [InlineData("(a nand b)")]
    [InlineData("(a and b) c")]
    [InlineData("()")]
    public void Parse_RejectsBadSyntax_WithCode(string text)
    {
        var ex = Assert.Throws<PungiException>(() => RichDependency.Parse(text));
        Assert.Equal(ErrorCodes.RichDependencySyntax, ex.Code);
    }

    [Fact]
    public void Parse_DeepNesting_FailsCleanly()
    {
        string deep = new string('(', 5000) + "a" + new string(')', 5000);
        Assert.Equal(ErrorCodes.RichDependencySyntax, Assert.Throws<PungiException>(() => RichDependency.Parse(deep)).Code);
    }

    [Theory]
    // Requires semantics: "if" needs A only when B holds; "unless" only when B does not.
    [InlineData("(a if b)", "b", false)]
    [InlineData("(a if b)", "", true)]
    [InlineData("(a if b else c)", "c", true)]
    [InlineData("(a if b else c)", "b,c", false)]
    [InlineData("(a unless b)", "", false)]
    [InlineData("(a unless b)", "b", true)]
    [InlineData("(a unless b else c)", "b", false)]
    [InlineData("(a or (b and c))", "b,c", true)]
    [InlineData("(a or (b and c))", "c", false)]
    public void IsSatisfied_FollowsRpmSemantics(string text, string present, bool expected)
    {
        var set = present.Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        Assert.Equal(expected, RichDependency.Parse(text).IsSatisfied(d => set.Contains(d.Name)));
    }
}

public class RpmArchesTests
{
    // Expected lists worked out by hand from pungi/arch_utils.py's table and pungi/arch.py (pungi-spec §3.4).
    [Theory]
    [InlineData("x86_64", true, "x86_64,athlon,i686,i586,i486,i386,noarch")]
    [InlineData("x86_64", false, "x86_64,noarch")]
    // pungi/arch.py TREE_ARCH_YUM_ARCH_MAP (Pungi 4, spec §3.3.2): i386 → i686, ppc64 unmapped; athlon and ppc64p7
    // packages are therefore not valid in i386 and ppc64 trees (the rpmUtils-era athlon/ppc64p7 table is gone).
    [InlineData("i386", true, "i686,i586,i486,i386,noarch")]
    [InlineData("ppc64", true, "ppc64,ppc,noarch")]
    [InlineData("ppc64", false, "ppc64,noarch")]
    [InlineData("ppc64le", true, "ppc64le,noarch")]
    [InlineData("s390x", true, "s390x,s390,noarch")]
    [InlineData("s390x", false, "s390x,noarch")]
    [InlineData("aarch64", true, "aarch64,noarch")]
    [InlineData("armhfp", true, "armv7hnl,armv7hl,armv6hl,noarch")]
    [InlineData("riscv64", true, "riscv64,noarch")]  // unknown to the table: itself plus noarch
    public void GetValidArches_AsPungi(string tree, bool multilib, string expected)
        => Assert.Equal(expected, string.Join(',', RpmArches.GetValidArches(tree, multilib)));

    /// <summary>tree_arch_to_yum_arch (pungi/arch.py): one table, shared by the rpm arch helpers and the depsolver.</summary>
    [Theory]
    [InlineData("i386", "i686")]
    [InlineData("ppc64", "ppc64")]
    [InlineData("armhfp", "armv7hnl")]
    [InlineData("sparc", "sparc64v")]
    [InlineData("arm", "armv7l")]
    [InlineData("x86_64", "x86_64")]
    public void TreeArchToYumArch_AsPungi4(string tree, string yum)
    {
        Assert.Equal(yum, RpmArches.TreeArchToYumArch(tree));
        Assert.Equal(yum, Pungi.Build.Gather.GatherArches.ToYumArch(tree));
    }

    [Fact]
    public void GetValidArches_AddSrc() => Assert.Equal("aarch64,noarch,src", string.Join(',', RpmArches.GetValidArches("aarch64", addSrc: true)));

    [Theory]
    [InlineData("x86_64", "athlon,i686,i586,i486,i386")]
    [InlineData("ppc64", "ppc")]
    [InlineData("s390x", "s390")]
    [InlineData("aarch64", "")]
    [InlineData("ppc64le", "")]
    [InlineData("i386", "")]
    public void GetValidMultilibArches_AsPungi(string tree, string expected)
        => Assert.Equal(expected, string.Join(',', RpmArches.GetValidMultilibArches(tree)));

    [Theory]
    [InlineData("i686", "i386")]
    [InlineData("athlon", "i386")]
    [InlineData("x86_64", "x86_64")]
    [InlineData("ppc64p7", "ppc64")]
    [InlineData("ppc", "ppc")]
    [InlineData("s390", "s390")]
    [InlineData("armv7hl", "armhfp")]
    [InlineData("armv7l", "arm")]
    [InlineData("sparc64v", "sparc")]
    [InlineData("noarch", "noarch")]
    public void GetBaseArch_AsYum(string arch, string expected) => Assert.Equal(expected, RpmArches.GetBaseArch(arch));

    [Fact]
    public void GetCompatibleArches_OfI686IsI386Tree()
        => Assert.Equal("i686,i586,i486,i386,noarch", string.Join(',', RpmArches.GetCompatibleArches("i686"))); // i386 tree → yum arch i686

    [Theory]
    [InlineData("dummy-httpd.i686", "dummy-httpd", "i686")]
    [InlineData("dummy-httpd.src", "dummy-httpd", "src")]
    [InlineData("python3.11", "python3.11", null)]
    [InlineData("foo", "foo", null)]
    public void SplitNameArch_AsPungi(string input, string name, string? arch) => Assert.Equal((name, arch), RpmArches.SplitNameArch(input));

    [Fact]
    public void IsExcluded_ExcludeArchAndExclusiveArch()
    {
        var p = new RpmPackage { Name = "n", Version = "1", Release = "1", Arch = "noarch", ExcludeArch = ["s390x"] };
        Assert.True(RpmArches.IsExcluded(p, ["s390x", "noarch"]));
        Assert.False(RpmArches.IsExcluded(p, ["x86_64", "noarch"]));
        var q = new RpmPackage { Name = "n", Version = "1", Release = "1", Arch = "noarch", ExclusiveArch = ["x86_64"] };
        Assert.True(RpmArches.IsExcluded(q, ["ppc64le", "noarch"]));
        Assert.False(RpmArches.IsExcluded(q, ["x86_64"]));
    }
}
