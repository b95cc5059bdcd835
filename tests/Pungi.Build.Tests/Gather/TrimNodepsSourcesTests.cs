using Xunit;
using Pungi.Build.Diagnostics;
using Pungi.Build.Gather;
using static Pungi.Build.Tests.Gather.GatherRuleTests;

namespace Pungi.Build.Tests.Gather;

/// <summary>Trimming (§3.10), the nodeps method (§3.3.1) and the gather inputs (§3.2), each rule by hand.</summary>
public sealed class TrimNodepsSourcesTests
{
    private static PackageEntry E(string file, params string[] flags) => new("/p/" + file, flags);

    private static string[] Files(List<PackageEntry> l) => l.Select(e => Path.GetFileName(e.Path)).ToArray();

    [Fact]
    public void Trim_AddonLosesParentPackages_MovesFulltreeExcludeNonInputToParent()
    {
        // §3.10: in parent → removed; fulltree-exclude without input → moved to parent; else kept.
        var server = new PackageMap();
        server.Rpm.Add(E("bash-1-1.x86_64.rpm", "input"));
        var ha = new PackageMap();
        ha.Rpm.AddRange([E("bash-1-1.x86_64.rpm"), E("pacemaker-1-1.x86_64.rpm", "input"),
            E("glibc-extra-1-1.x86_64.rpm", "fulltree", "fulltree-exclude"), E("corosync-1-1.x86_64.rpm", "fulltree-exclude", "input")]);
        var result = new Dictionary<string, Dictionary<string, PackageMap>> { ["x86_64"] = new() { ["Server"] = server, ["Server-HA"] = ha } };
        VariantTrimmer.TrimAll(result, [new("Server"), new("Server-HA", "addon", "Server")]);
        Assert.Equal(["pacemaker-1-1.x86_64.rpm", "corosync-1-1.x86_64.rpm"], Files(ha.Rpm));
        Assert.Equal(["bash-1-1.x86_64.rpm", "glibc-extra-1-1.x86_64.rpm"], Files(server.Rpm));
    }

    [Fact]
    public void Trim_LayeredProductDropsAddonBinariesButKeepsTheirSourcesAndDebuginfo_OptionalMovesNothing()
    {
        var server = new PackageMap();
        var addon = new PackageMap();
        addon.Rpm.Add(E("pacemaker-1-1.x86_64.rpm", "input"));
        var lp = new PackageMap();
        lp.Rpm.Add(E("pacemaker-1-1.x86_64.rpm"));
        lp.Srpm.Add(E("pacemaker-1-1.src.rpm"));
        lp.Debuginfo.Add(E("pacemaker-debuginfo-1-1.x86_64.rpm"));
        var optional = new PackageMap();
        optional.Rpm.AddRange([E("pacemaker-1-1.x86_64.rpm"), E("stray-1-1.x86_64.rpm", "fulltree-exclude"), E("extra-1-1.x86_64.rpm")]);
        var result = new Dictionary<string, Dictionary<string, PackageMap>>
        {
            ["x86_64"] = new() { ["Server"] = server, ["Server-HA"] = addon, ["Server-LP"] = lp, ["Server-optional"] = optional },
        };
        VariantTrimmer.TrimAll(result, [new("Server"), new("Server-HA", "addon", "Server"),
            new("Server-LP", "layered-product", "Server"), new("Server-optional", "optional", "Server")]);
        Assert.Empty(lp.Rpm);
        Assert.Equal(["pacemaker-1-1.src.rpm"], Files(lp.Srpm));
        Assert.Equal(["pacemaker-debuginfo-1-1.x86_64.rpm"], Files(lp.Debuginfo));
        Assert.Equal(["extra-1-1.x86_64.rpm"], Files(optional.Rpm)); // addon's removed, stray dropped, not moved
        Assert.Empty(server.Rpm);
    }

    private static IReadOnlyList<IReadOnlyList<PackageFileRef>> Set(params Pungi.Build.Rpm.RpmPackage[] pkgs)
        => [pkgs.Select(p => new PackageFileRef(p, "/repo/" + (p.IsSource ? $"{p.Name}-{p.Version}-{p.Release}.src.rpm" : p.FileName))).ToList()];

    [Fact]
    public void Nodeps_ArchlessNamePullsEveryArch_GroupMembersOnlyTreeArch_NoDependencies()
    {
        // §3.3.1 step 2 and Appendix B: arch-less names match i686 too; group members carry the tree arch.
        var sets = Set(P("foo-1-1.x86_64", requires: ["bar"]), P("foo-1-1.i686"), P("bar-1-1.x86_64"), P("grp-1-1.i686"),
            P("grp-1-1.x86_64"), P("doc-1-1.noarch"), P("foo-1-1.src"), P("foo-debuginfo-1-1.x86_64", srpm: "foo-1-1.src.rpm"),
            P("foo-debuginfo-1-1.i686", srpm: "foo-1-1.src.rpm"), P("grp-debuginfo-1-1.i686", srpm: "grp-1-1.src.rpm"));
        var groups = NodepsGather.ExpandGroups("x86_64", ["core"],
            [[new GatherGroup("core", [new GatherGroupPackage("grp"), new GatherGroupPackage("doc", "optional")])]]);
        var map = NodepsGather.Solve("x86_64", [new NodepsRequest("foo", null, null), .. groups], sets);
        Assert.Equal(["foo-1-1.x86_64.rpm", "foo-1-1.i686.rpm", "grp-1-1.x86_64.rpm", "doc-1-1.noarch.rpm"], Files(map.Rpm));
        Assert.Equal(["foo-1-1.src.rpm"], Files(map.Srpm));
        // Debuginfo needs a binary of a compatible arch from its SRPM: grp i686 was not taken, so no grp-debuginfo.
        Assert.Equal(["foo-debuginfo-1-1.x86_64.rpm", "foo-debuginfo-1-1.i686.rpm"], Files(map.Debuginfo));
        Assert.All(map.Rpm, e => Assert.Equal(["input"], e.Flags));
    }

    [Fact]
    public void Nodeps_MissingGroupIsAnError()
        => Assert.Equal(ErrorCodes.GatherGroupNotFound,
            Assert.Throws<PungiException>(() => NodepsGather.ExpandGroups("x86_64", ["nope"], [[]])).Code);

    [Fact]
    public void SplitNameArch_OnlyKnownArchesAreSuffixes()
    {
        Assert.Equal(("dummy-httpd", "i686"), GatherSources.SplitNameArch("dummy-httpd.i686"));
        Assert.Equal(("python3.11", (string?)null), GatherSources.SplitNameArch("python3.11"));
        Assert.Equal(("foo", "src"), GatherSources.SplitNameArch("foo.src"));
        Assert.Equal(ErrorCodes.GatherIncompatibleArch,
            Assert.Throws<PungiException>(() => GatherSources.ParseAdditional("foo.ppc64", "x86_64")).Code);
        Assert.Equal(("foo", "i686"), GatherSources.ParseAdditional("foo.i686", "x86_64"));
    }

    [Fact]
    public void SystemRelease_PicksTheVariantsOwnReleasePackage_AndFiltersTheRest()
    {
        var pkgs = new[]
        {
            P("dummy-release-client-1-1.x86_64", provides: ["system-release"]),
            P("dummy-release-server-1-1.x86_64", provides: ["system-release"]),
            P("other-1-1.x86_64"),
        };
        var (add, filter) = GatherSources.SelectSystemRelease(pkgs, new GatherVariant("Server"));
        Assert.Equal("dummy-release-server", add!.Name);
        Assert.Equal(["dummy-release-client"], filter.Select(p => p.Name));
        var (first, _) = GatherSources.SelectSystemRelease(pkgs, new GatherVariant("Workstation"));
        Assert.Equal("dummy-release-client", first!.Name); // no match: first in sort order
        Assert.Equal((null, 0), (GatherSources.SelectSystemRelease([pkgs[2]], new GatherVariant("Server")).Add, 0));
    }

    [Fact]
    public void Kickstart_GroupsIncludeOptionalMembers_ConditionalsSeparate_FiltersNegated()
    {
        // §3.3.2: "@group --optional" → mandatory + default + optional; conditional → conditional packages.
        var input = new VariantGatherInput();
        input.Groups.Add("core");
        input.Packages.Add(("extra", "i686"));
        input.Filters.Add(("bad", null));
        var comps = new[]
        {
            new GatherGroup("core", [new GatherGroupPackage("m"), new GatherGroupPackage("d", "default"),
                new GatherGroupPackage("o", "optional"), new GatherGroupPackage("c", "conditional", "m")]),
        };
        var (lines, conditional, missing) = GatherSources.Kickstart(input, comps, "Server", "x86_64");
        Assert.Equal(["m", "d", "o", "extra.i686", "-bad"], lines);
        Assert.Equal([new ConditionalPackage("m", "c")], conditional);
        Assert.Empty(missing);
        Assert.Equal(ErrorCodes.GatherEmptyInput,
            Assert.Throws<PungiException>(() => GatherSources.Kickstart(new VariantGatherInput(), comps, "Server", "x86_64")).Code);
    }

    [Fact]
    public void Inheritance_OptionalTakesParentAndSiblings_FiltersNeverInherited_TypeOptions()
    {
        var variants = new[]
        {
            new GatherVariant("Server"), new GatherVariant("Server-HA", "addon", "Server"),
            new GatherVariant("Server-optional", "optional", "Server"),
        };
        var inputs = variants.ToDictionary(v => v.Uid, _ => new VariantGatherInput());
        inputs["Server"].Packages.Add(("bash", null));
        inputs["Server"].Filters.Add(("bad", null));
        inputs["Server-HA"].Groups.Add("ha");
        var opt = new VariantGatherInput();
        GatherSources.Inherit(opt, variants[2], variants, v => inputs[v.Uid]);
        Assert.Contains(("bash", (string?)null), opt.Packages);
        Assert.Contains("ha", opt.Groups);
        Assert.Empty(opt.Filters);
        Assert.Equal((true, true), GatherSources.Options("optional", false, false));
        Assert.Equal((true, false), GatherSources.Options("addon", false, true));
        Assert.Equal((false, true), GatherSources.Options("variant", false, true));
    }
}
