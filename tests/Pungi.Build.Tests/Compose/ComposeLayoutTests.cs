using Pungi.Build.Compose;
using Pungi.Build.Variants;
using Xunit;

namespace Pungi.Build.Tests.Compose;

/// <summary>Paths of spec §1.4 (pungi/paths.py), checked relative to the topdir.</summary>
public class ComposeLayoutTests
{
    private static readonly VariantModel Model = VariantModel.FromInline(
    [
        new InlineVariant { Include = "Server", Arches = ["x86_64", "s390x"] },
        new InlineVariant { Include = "Server-HA", Parent = "Server", Type = "addon", Name = "High Availability", Arches = ["x86_64"] },
        new InlineVariant { Include = "Server-optional", Parent = "Server", Type = "optional", Arches = ["x86_64"] },
        new InlineVariant { Include = "Server-LP", Parent = "Server", Type = "layered-product", Arches = ["x86_64"], Release = new("L", "L", "1") },
    ]);

    private static readonly ComposeLayout L = new("/mnt/DP-1.0-20261127.n.0");
    private static Variant S => Model.Find("Server")!;
    private static Variant HA => Model.Find("Server-HA")!;
    private static Variant Opt => Model.Find("Server-optional")!;
    private static Variant LP => Model.Find("Server-LP")!;

    private static string R(string? p) => Path.GetRelativePath(L.Topdir, p!);

    [Fact]
    public void Top_level_files()
    {
        Assert.Equal("COMPOSE_ID", R(L.ComposeIdFile));
        Assert.Equal("STATUS", R(L.StatusFile));
        Assert.Equal("compose/metadata/composeinfo.json", R(L.Metadata("composeinfo.json")));
    }

    [Fact]
    public void Variant_trees()
    {
        Assert.Equal("compose/Server/x86_64/os", R(L.OsTree(S, "x86_64")));
        Assert.Equal("compose/Server/source/tree", R(L.OsTree(S, "src")));
        Assert.Equal("compose/Server/x86_64/os/Packages", R(L.Packages(S, "x86_64")));
        Assert.Equal("compose/Server/source/tree/Packages", R(L.Packages(S, "src")));
        Assert.Equal("compose/Server/x86_64/os", R(L.Repository(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/debug/tree", R(L.DebugTree(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/debug/tree", R(L.DebugRepository(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/debug/tree/Packages", R(L.DebugPackages(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/iso", R(L.IsoDir(S, "x86_64")));
        Assert.Equal("compose/Server/source/iso", R(L.IsoDir(S, "src")));
        Assert.Equal("compose/Server/x86_64/iso/a.iso", R(L.IsoPath(S, "x86_64", "a.iso")));
        Assert.Equal("compose/Server/x86_64/jigdo", R(L.JigdoDir(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/images", R(L.ImageDir(S, "x86_64")));
        Assert.Equal("compose/Server/x86_64/os/.treeinfo", R(L.TreeInfo(S, "x86_64")));
        Assert.Equal("compose/Server/source/tree/.discinfo", R(L.DiscInfo(S, "src")));
        Assert.Equal("compose/Server/x86_64/os/media.repo", R(L.MediaRepo(S, "x86_64")));
    }

    [Fact]
    public void Addon_lives_inside_its_parent_tree_and_has_no_iso_dir()
    {
        Assert.Equal("compose/Server/x86_64/os", R(L.OsTree(HA, "x86_64")));
        Assert.Equal("compose/Server/x86_64/os/addons/HA", R(L.Repository(HA, "x86_64")));
        Assert.Equal("compose/Server/x86_64/os/addons/HA", R(L.Packages(HA, "x86_64")));
        Assert.Equal("compose/Server/source/tree/addons/HA", R(L.Packages(HA, "src")));
        Assert.Equal("compose/Server/x86_64/debug/tree", R(L.DebugTree(HA, "x86_64")));
        Assert.Equal("compose/Server/x86_64/debug/tree/addons/HA", R(L.DebugRepository(HA, "x86_64")));
        Assert.Equal("compose/Server/x86_64/debug/tree/addons/HA", R(L.DebugPackages(HA, "x86_64")));
        Assert.Null(L.IsoDir(HA, "x86_64"));
        Assert.Null(L.JigdoDir(HA, "x86_64", createOptionalIsos: true));
    }

    [Fact]
    public void Optional_and_layered_product_have_own_trees_optional_isos_only_when_asked()
    {
        Assert.Equal("compose/Server-optional/x86_64/os", R(L.OsTree(Opt, "x86_64")));
        Assert.Null(L.IsoDir(Opt, "x86_64"));
        Assert.Equal("compose/Server-optional/x86_64/iso", R(L.IsoDir(Opt, "x86_64", createOptionalIsos: true)));
        Assert.Equal("compose/Server-LP/x86_64/os/Packages", R(L.Packages(LP, "x86_64")));
        Assert.Equal("compose/Server-LP/x86_64/iso", R(L.IsoDir(LP, "x86_64")));
    }

    [Fact]
    public void Source_has_no_debug_tree()
        => Assert.Throws<ArgumentException>(() => L.DebugTree(S, "src"));

    [Fact]
    public void Work_paths()
    {
        Assert.Equal("work/global/variants.xml", R(L.WorkVariantsFile));
        Assert.Equal("work/global/composeinfo-base.json", R(L.ComposeInfoBase));
        Assert.Equal("work/global/comps/comps-global.xml", R(L.CompsGlobal));
        Assert.Equal("work/x86_64/comps/comps-x86_64.xml", R(L.Comps("x86_64")));
        Assert.Equal("work/x86_64/comps/comps-Server.x86_64.xml", R(L.Comps("x86_64", S)));
        Assert.Equal("work/x86_64/comps_repo_Server", R(L.CompsRepo("x86_64", S)));
        Assert.Equal("work/x86_64/repo/p1", R(L.PkgsetRepo("p1", "x86_64")));
        Assert.Equal("work/global/repo/p1", R(L.PkgsetRepo("p1")));
        Assert.Equal("work/x86_64/package_list/x86_64.p1.rpm.conf", R(L.PackageList("x86_64", pkgType: "rpm", pkgsetName: "p1")));
        Assert.Equal("work/x86_64/package_list/Server.x86_64.srpm.conf", R(L.PackageList("x86_64", S, "srpm")));
        Assert.Equal("work/x86_64/package_list/Server.x86_64.lookaside.conf", R(L.LookasideConf("x86_64", S)));
        Assert.Equal("work/global/package_list/global.p1.conf", R(L.GlobalPackageList("p1")));
        Assert.Equal("work/x86_64/gather_result/Server-optional.x86_64.result", R(L.GatherResult("x86_64", Opt)));
        Assert.Equal("work/x86_64/pungi/Server.x86_64.conf", R(L.PungiConf("x86_64", S)));
        Assert.Equal("work/x86_64/pungi/x86_64.comps.log", R(L.PungiLog("x86_64", source: "comps")));
        Assert.Equal("work/x86_64/fus/Server-solvables-2.x86_64.conf", R(L.FusConf("x86_64", S, 2)));
        Assert.Equal("work/x86_64/buildinstall/Server", R(L.BuildinstallDir("x86_64", S)));
        Assert.Equal("/bi/buildinstall-DP-1.0-20261127.n.0/x86_64/Server", L.BuildinstallDir("x86_64", S, "/bi"));
        Assert.Equal("work/x86_64/Server/extra-files", R(L.ExtraFilesDir("x86_64", S)));
        Assert.Equal("work/global/repo_package_list/Server.None.srpm.conf", R(L.RepoPackageList(null, S, "srpm")));
        Assert.Equal("work/x86_64/iso/a.iso-graft-points", R(L.IsoGraftPoints("x86_64", "a.iso")));
        Assert.Equal("work/x86_64/tmp-Server", R(L.TmpDir("x86_64", S)));
        Assert.Equal("work/global/tmp", R(L.TmpDir()));
        Assert.Equal("work/x86_64/product_id/Server.x86_64.pem/productid", R(L.ProductId("x86_64", S)));
        Assert.Equal("work/image-build/Server/qcow2-raw-xz_Cloud_x86_64-aarch64.cfg", R(L.ImageBuildConf(S, "Cloud", "qcow2-raw-xz", ["x86_64", "aarch64"])));
    }

    [Fact]
    public void Log_file_rule()
    {
        Assert.Equal("logs/global/pungi.global.log", R(L.MainLog));
        Assert.Equal("logs/x86_64/createrepo-Server.rpm.x86_64.log", R(L.CreaterepoLog("x86_64", S, "rpm")));
        Assert.Equal("logs/x86_64/foo.x86_64.log", R(L.LogFile("x86_64", "foo.log"))); // trailing .log stripped first
        Assert.Equal("logs/global/traceback-x.global.log", R(L.TracebackLog("x")));
        Assert.Equal("logs/global/koji-tasks", R(L.KojiTasksDir));
        Assert.Equal("logs/x86_64/buildinstall-Server.x86_64.log", R(L.BuildinstallLog("x86_64", S)));
    }
}
