using Pungi.Build.Comps;
using Xunit;

namespace Pungi.Build.Tests.Comps;

/// <summary>
/// pungi-dummy's <c>dummy-comps.xml</c> filtered for upstream's <c>example-variants.xml</c>. The variant specs are
/// transcribed from that file (§5.2: Server's explicit optional child, Client's has_optional child without groups,
/// the ResilientStorage addon and Gluster layered product referenced from Server, arches intersected with the
/// parent's); the expected groups and environments are worked out by hand from §4.2 and §4.3.
/// </summary>
public class DummyCompsTests
{
    private static readonly string DummyComps = Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");

    private static readonly VariantGroupRef[] ClientGroups =
        [new("core", Default: true), new("standard", Default: true), new("text-internet", Default: false), new("firefox", Default: true, UserVisible: false), new("skype")];

    private static readonly VariantGroupRef[] ServerGroups =
        [new("core", Default: true, UserVisible: true), new("standard", Default: true), new("text-internet", Default: true)];

    internal static IReadOnlyList<VariantArches> ExampleVariants() =>
    [
        new(new("Live", "variant", [], []), ["x86_64"]),
        new(new("Everything", "variant", [], []), ["i386", "x86_64"]),
        new(new("Client", "variant", ClientGroups, [new("minimal"), new("desktop", DisplayOrder: 1000)]), ["i386", "x86_64"]),
        new(new("Client-optional", "optional", [], [], LookasideGroups: VariantCompsSpec.LookasideGroupsOf(ClientGroups, null)), ["i386", "x86_64"]),
        new(new("Server", "variant", ServerGroups, [new("minimal")]), ["s390x", "x86_64"]),
        new(new("Server-optional", "optional", [new("firefox", Default: false)], [], LookasideGroups: VariantCompsSpec.LookasideGroupsOf(ServerGroups, null)), ["s390x", "x86_64"]),
        new(new("Server-ResilientStorage", "addon", [new("resilient-storage", Default: true)], [new("foobar")], LookasideGroups: VariantCompsSpec.LookasideGroupsOf(ServerGroups, null)), ["x86_64"]),
        new(new("Server-Gluster", "layered-product", [new("gluster", Default: true)], [], LookasideGroups: VariantCompsSpec.LookasideGroupsOf(ServerGroups, null)), ["x86_64"]),
        new(new("Foo-Tools", "variant", [new("core", Default: true, UserVisible: true)], [new("minimal")]), ["x86_64"]),
        new(new("Bar-Tools", "variant", [new("core", Default: true, UserVisible: true)], [new("minimal")]), ["x86_64"]),
    ];

    private static CompsModel Filter(string uid, string arch, List<CompsDiagnostic>? diags = null)
    {
        var variant = ExampleVariants().Single(v => v.Variant.Uid == uid).Variant;
        return CompsInit.FilterVariant(CompsDocument.Load(DummyComps), variant, arch, true, diags ?? []);
    }

    private static string Groups(CompsModel m) => string.Join(" ", m.Groups.Select(g => g.Id).Order(StringComparer.Ordinal));

    private static string Envs(CompsModel m)
        => string.Join(" ", m.Environments.Select(e => e.Id + "(" + string.Join(",", e.GroupIds.Select(g => g.Name)) + ")").Order(StringComparer.Ordinal));

    // text-internet only has variant-specific packages (elinks: Server, tftp: Client), so it is empty and cleaned up
    // elsewhere; skype is i386/x86_64, resilient-storage x86_64; the "empty" environment names a missing group.
    [Theory]
    [InlineData("Everything", "x86_64", "basic-desktop core firefox gluster resilient-storage skype standard", "desktop(core,standard,basic-desktop) foobar(resilient-storage) minimal(core)")]
    [InlineData("Everything", "i386", "basic-desktop core firefox gluster skype standard", "desktop(core,standard,basic-desktop) minimal(core)")]
    [InlineData("Live", "x86_64", "basic-desktop core firefox gluster resilient-storage skype standard", "desktop(core,standard,basic-desktop) foobar(resilient-storage) minimal(core)")]
    // desktop keeps basic-desktop although the variant dropped that group (environments are not re-checked).
    [InlineData("Client", "x86_64", "core firefox skype standard text-internet", "desktop(core,standard,basic-desktop) minimal(core)")]
    [InlineData("Client", "i386", "core firefox skype standard text-internet", "desktop(core,standard,basic-desktop) minimal(core)")]
    // optional without <groups>: no groups; no groups nor environments listed, so environments stay; the parent's
    // text-internet is a lookaside group, so foobar keeps it.
    [InlineData("Client-optional", "x86_64", "", "desktop(core,standard,basic-desktop) foobar(resilient-storage,text-internet) minimal(core)")]
    [InlineData("Client-optional", "i386", "", "desktop(core,standard,basic-desktop) foobar(text-internet) minimal(core)")]
    [InlineData("Server", "x86_64", "core standard text-internet", "minimal(core)")]
    [InlineData("Server", "s390x", "core standard text-internet", "minimal(core)")]
    [InlineData("Server-optional", "x86_64", "firefox", "")]
    [InlineData("Server-optional", "s390x", "firefox", "")]
    [InlineData("Server-ResilientStorage", "x86_64", "resilient-storage", "foobar(resilient-storage,text-internet)")]
    [InlineData("Server-Gluster", "x86_64", "gluster", "")]
    [InlineData("Foo-Tools", "x86_64", "core", "minimal(core)")]
    [InlineData("Bar-Tools", "x86_64", "core", "minimal(core)")]
    public void ExampleVariants_GetTheExpectedGroupsAndEnvironments(string uid, string arch, string groups, string environments)
    {
        var diags = new List<CompsDiagnostic>();
        var m = Filter(uid, arch, diags);
        Assert.Equal(groups, Groups(m));
        Assert.Equal(environments, Envs(m));
        Assert.Empty(diags);
    }

    [Fact]
    public void FlagOverrides_FromExampleVariants()
    {
        var server = Filter("Server", "x86_64");
        Assert.True(server.FindGroup("core")!.UserVisible);      // comps says false, variants.xml says true
        Assert.True(server.FindGroup("standard")!.Default);      // comps false -> true
        var client = Filter("Client", "x86_64");
        Assert.False(client.FindGroup("text-internet")!.Default);
        Assert.True(client.FindGroup("firefox")!.Default);
        Assert.False(client.FindGroup("firefox")!.UserVisible);
        Assert.True(client.FindGroup("skype")!.UserVisible);     // no override: comps value
        Assert.Equal(1000, client.Environments.Single(e => e.Id == "desktop").DisplayOrder);
        // variant="Server" kept elinks only in Server; variant="Client" kept tftp only in Client.
        Assert.Equal(["dummy-elinks"], server.PackagesOf("text-internet").Select(p => p.Name));
        Assert.Equal(["dummy-tftp"], client.PackagesOf("text-internet").Select(p => p.Name));
        Assert.Equal(CompsPackageType.Optional, server.PackagesOf("text-internet")[0].Type);
    }

    [Fact]
    public void GatherView_PackagesTypesAndLangpacks()
    {
        var m = Filter("Everything", "x86_64");
        var cond = Assert.Single(m.PackagesOf("basic-desktop"));
        Assert.Equal(("dummy-imsettings-gnome", CompsPackageType.Conditional, "dummy-imsettings"), (cond.Name, cond.Type, cond.Requires));
        Assert.Equal(CompsPackageType.Mandatory, m.PackagesOf("standard").Single().Type); // no type attribute
        Assert.Equal(22, m.Langpacks.Count);
        Assert.Equal("dummy-release-notes-%s", m.Langpacks["dummy-release-notes"]);
    }

    [Fact]
    public void UnmatchedGroup_OnS390x_WarnsLikeUpstream()
    {
        // skype is i386/x86_64 only; a variant asking for it on s390x gets upstream's warning.
        var diags = new List<CompsDiagnostic>();
        var spec = new VariantCompsSpec("Server", "variant", [new("core"), new("skype")], []);
        CompsInit.FilterVariant(CompsDocument.Load(DummyComps), spec, "s390x", true, diags);
        var d = Assert.Single(diags);
        Assert.Equal("Variant Server.s390x requires comps group skype which does not match anything in input comps file", d.Message);
    }
}
