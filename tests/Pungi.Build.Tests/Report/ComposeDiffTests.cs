using Pungi.Build.Diagnostics;
using Pungi.Build.Report;
using Pungi.Build.Rpm;
using Xunit;

namespace Pungi.Build.Tests.Report;

/// <summary>
/// The diff rules of issue #15. Expected kinds come from rpm's rules worked out by hand: rpmvercmp compares the epoch
/// first (a missing one is 0), then version and release segment by segment (digits numerically, "~" sorts before
/// everything, "^" after the end); and from productmd's image identity (subvariant, type, format, arch, disc_number,
/// unified, additional_variants).
/// </summary>
public sealed class ComposeDiffTests
{
    private static PackageRef P(string nevra, string category = "binary")
    {
        var m = System.Text.RegularExpressions.Regex.Match(nevra, @"^(?<n>.*)-((?<e>\d+):)?(?<v>[^-]*)-(?<r>[^-]*)\.(?<a>[^.]*)$");
        return new PackageRef(m.Groups["n"].Value, new Evr(m.Groups["e"].Success ? m.Groups["e"].Value : "0", m.Groups["v"].Value, m.Groups["r"].Value),
            m.Groups["a"].Value, nevra, category, "");
    }

    private static PackageChange Single(string oldNevra, string newNevra)
        => Assert.Single(ComposeDiff.ComparePackages([P(oldNevra)], [P(newNevra)]));

    [Fact]
    public void Epoch_wins_over_a_lower_version_rpmvercmp_epoch_first()
    {
        // 1:7.0-1 against 0:7.2-3: the epoch alone decides (rpmVersionCompare compares epochs before versions).
        Assert.Equal(PackageChangeKind.Upgraded, Single("nano-0:7.2-3.x86_64", "nano-1:7.0-1.x86_64").Kind);
        Assert.Equal(PackageChangeKind.Downgraded, Single("nano-1:7.0-1.x86_64", "nano-0:7.2-3.x86_64").Kind);
    }

    [Fact]
    public void Release_segments_compare_numerically_not_as_text()
    {
        // "4" < "40" and "10" > "9": rpmvercmp compares digit runs as numbers.
        Assert.Equal(PackageChangeKind.Downgraded, Single("tftp-0:5.2-40.x86_64", "tftp-0:5.2-4.x86_64").Kind);
        Assert.Equal(PackageChangeKind.Upgraded, Single("tftp-0:5.2-9.x86_64", "tftp-0:5.2-10.x86_64").Kind);
    }

    [Fact]
    public void Tilde_sorts_before_and_caret_after_the_release_rpmvercmp()
    {
        Assert.Equal(PackageChangeKind.Upgraded, Single("kernel-0:6.8~rc1-1.x86_64", "kernel-0:6.8-1.x86_64").Kind);
        Assert.Equal(PackageChangeKind.Upgraded, Single("kernel-0:6.8-1.x86_64", "kernel-0:6.8^git1-1.x86_64").Kind);
    }

    [Fact]
    public void An_arch_move_is_one_change_not_a_removal_and_an_addition()
    {
        var same = Single("docs-0:1.0-1.noarch", "docs-0:1.0-1.x86_64");
        Assert.Equal(PackageChangeKind.ArchChanged, same.Kind);
        Assert.Equal("noarch", same.Old!.Arch);
        var newer = Single("docs-0:1.0-1.noarch", "docs-0:1.1-1.x86_64");
        Assert.Equal(PackageChangeKind.Upgraded, newer.Kind);
    }

    [Fact]
    public void Multilib_pairs_match_by_arch_first()
    {
        // glibc.i686 and glibc.x86_64 both upgraded; the i686 one then dropped: one removal, never paired with x86_64.
        var up = ComposeDiff.ComparePackages([P("glibc-0:2.38-7.i686"), P("glibc-0:2.38-7.x86_64")], [P("glibc-0:2.38-8.x86_64"), P("glibc-0:2.38-8.i686")]);
        Assert.Equal(2, up.Count);
        Assert.All(up, c => Assert.Equal(PackageChangeKind.Upgraded, c.Kind));
        Assert.All(up, c => Assert.Equal(c.Old!.Arch, c.New!.Arch));
        var dropped = Assert.Single(ComposeDiff.ComparePackages([P("glibc-0:2.38-7.i686"), P("glibc-0:2.38-7.x86_64")], [P("glibc-0:2.38-7.x86_64")]));
        Assert.Equal(PackageChangeKind.Removed, dropped.Kind);
        Assert.Equal("i686", dropped.Old!.Arch);
    }

    [Fact]
    public void Unchanged_packages_are_not_listed_and_categories_are_kept_apart()
    {
        var changes = ComposeDiff.ComparePackages(
            [P("bash-0:5.2-1.x86_64"), P("bash-0:5.2-1.src", "source"), P("vim-0:9.0-1.x86_64")],
            [P("bash-0:5.2-1.x86_64"), P("bash-0:5.2-2.src", "source"), P("nano-0:7.2-3.x86_64")]);
        Assert.Equal(["bash source Upgraded", "nano binary Added", "vim binary Removed"],
            changes.Select(c => $"{c.Name} {c.Category} {c.Kind}").ToArray());
    }

    [Fact]
    public void Several_versions_of_one_package_pair_newest_with_newest()
    {
        // Installonly kernels: 6.1 and 6.2 → 6.2 and 6.3: 6.2 is unchanged, 6.1 → 6.3 is the one upgrade.
        var c = Assert.Single(ComposeDiff.ComparePackages([P("kernel-0:6.1-1.x86_64"), P("kernel-0:6.2-1.x86_64")], [P("kernel-0:6.2-1.x86_64"), P("kernel-0:6.3-1.x86_64")]));
        Assert.Equal(PackageChangeKind.Upgraded, c.Kind);
        Assert.Equal("kernel-0:6.1-1.x86_64", c.Old!.Nevra);
    }

    [Fact]
    public void Reads_upstream_rpms_json_and_lists_changes_per_variant_arch()
    {
        using var trees = new ComposeTrees();
        // Upstream shape: productmd 1.0 header, epoch always in the NEVRA, SRPMs under every binary arch.
        var old = trees.Compose("Fedora-41-20261126.n.0", [
            "Server.x86_64|bash-0:5.2.26-3.fc41.src|source", "Server.x86_64|bash-0:5.2.26-3.fc41.x86_64",
            "Server.x86_64|vim-minimal-2:9.1.393-1.fc41.x86_64", "Server.aarch64|bash-0:5.2.26-3.fc41.aarch64",
            "Everything.x86_64|zsh-0:5.9-15.fc41.x86_64"], headerVersion: "1.0");
        var neu = trees.Compose("Fedora-41-20261127.n.0", [
            "Server.x86_64|bash-0:5.2.32-1.fc41.src|source", "Server.x86_64|bash-0:5.2.32-1.fc41.x86_64",
            "Server.x86_64|vim-minimal-2:9.1.393-1.fc41.x86_64", "Server.x86_64|nano-0:8.1-1.fc41.x86_64",
            "Server.aarch64|bash-0:5.2.26-2.fc41.aarch64"], headerVersion: "1.0");
        var diff = ComposeDiff.Compare(ComposeManifest.Load(old), ComposeManifest.Load(neu));
        Assert.Equal("Fedora-41-20261126.n.0", diff.OldId);
        Assert.Equal("Fedora-41-20261127.n.0", diff.NewId);
        var byVa = diff.VariantArches.ToDictionary(v => v.VariantArch);
        Assert.Equal(["Everything.x86_64", "Server.aarch64", "Server.x86_64"], byVa.Keys.Order(StringComparer.Ordinal).ToArray());
        Assert.Equal("zsh Removed", Assert.Single(byVa["Everything.x86_64"].Packages) is var z ? $"{z.Name} {z.Kind}" : "");
        Assert.Equal(PackageChangeKind.Downgraded, Assert.Single(byVa["Server.aarch64"].Packages).Kind);
        Assert.Equal(["bash binary Upgraded", "bash source Upgraded", "nano binary Added"],
            byVa["Server.x86_64"].Packages.Select(c => $"{c.Name} {c.Category} {c.Kind}").ToArray());
        Assert.Equal((3, 4), (byVa["Server.x86_64"].OldPackages, byVa["Server.x86_64"].NewPackages));
    }

    [Fact]
    public void Upstream_images_json_source_iso_moved_under_the_binary_arches()
    {
        // productmd's samples/images/src_move_{before,after}.json (DP-1.0-20160602.t.0): the source ISO was listed
        // under an "src" arch key and moves under s390x and x86_64 (productmd 1.1 → 1.2 rule): by image identity
        // that is one removal from Server.src and one addition in each binary arch; the binary ISOs are unchanged.
        using var trees = new ComposeTrees();
        string Tree(string name, string sample)
        {
            var metadata = Path.Combine(trees.Root, name, "compose", "metadata");
            Directory.CreateDirectory(metadata);
            File.Copy(Path.Combine(TestPaths.Shared, "reference", "productmd", "samples", "images", sample), Path.Combine(metadata, "images.json"));
            return Path.Combine(trees.Root, name);
        }
        var diff = ComposeDiff.Compare(ComposeManifest.Load(Tree("before", "src_move_before.json")), ComposeManifest.Load(Tree("after", "src_move_after.json")));
        var changes = diff.VariantArches.SelectMany(v => v.Images.Select(i => $"{v.VariantArch} {i.Kind} {(i.New ?? i.Old)!.Arch}")).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["Server.s390x Added src", "Server.src Removed src", "Server.x86_64 Added src"], changes);
        Assert.Equal("DP-1.0-20160602.t.0", diff.OldId);
        var x86 = diff.VariantArches.Single(v => v.VariantArch == "Server.x86_64");
        Assert.Equal(512000, x86.NewImageBytes - x86.OldImageBytes);
    }

    [Fact]
    public void An_image_with_a_new_file_name_but_the_same_identity_is_a_size_change_only()
    {
        var a = new ImageRef("dvd", "iso", "x86_64", "Server", 1, false, "", "Server/x86_64/iso/X-20261126.n.0-Server-x86_64-dvd1.iso", 1000);
        var b = a with { Path = "Server/x86_64/iso/X-20261127.n.0-Server-x86_64-dvd1.iso" };
        Assert.Empty(ComposeDiff.CompareImages([a], [b]));
        var c = Assert.Single(ComposeDiff.CompareImages([a], [b with { Size = 1500 }]));
        Assert.Equal((ImageChangeKind.Changed, 500L), (c.Kind, c.SizeDelta));
        var boot = a with { Type = "boot", Path = "Server/x86_64/os/images/boot.iso" };
        Assert.Equal(ImageChangeKind.Added, Assert.Single(ComposeDiff.CompareImages([a], [a, boot])).Kind);
    }

    [Theory]
    // productmd's NEVRA regex worked by hand: name greedy up to the last two dashes, optional digits-only epoch.
    [InlineData("bash-0:5.2.26-3.fc41.x86_64", "bash", "0", "5.2.26", "3.fc41", "x86_64")]
    [InlineData("vim-minimal-2:9.1.393-1.fc41.x86_64", "vim-minimal", "2", "9.1.393", "1.fc41", "x86_64")]
    [InlineData("Packages/b/python3-dnf-plugin-a-4.0-1.noarch", "python3-dnf-plugin-a", "0", "4.0", "1", "noarch")]
    [InlineData("kernel-6.8~rc1-0.fc41.src", "kernel", "0", "6.8~rc1", "0.fc41", "src")]
    public void Nevra_splits_as_productmd_does(string nevra, string name, string epoch, string version, string release, string arch)
        => Assert.Equal((name, epoch, version, release, arch), ComposeManifest.SplitNevra(nevra));

    [Fact]
    public void A_directory_without_metadata_is_a_coded_error()
    {
        using var trees = new ComposeTrees();
        var e = Assert.Throws<PungiException>(() => ComposeManifest.Load(trees.Root));
        Assert.Equal(ErrorCodes.ReportNoMetadata, e.Code);
    }

    [Fact]
    public void Load_accepts_the_top_directory_the_compose_directory_and_the_metadata_directory()
    {
        using var trees = new ComposeTrees();
        var top = trees.Compose("X-1-20261127.t.0", ["Server.x86_64|a-0:1-1.x86_64"]);
        foreach (var path in new[] { top, Path.Combine(top, "compose"), Path.Combine(top, "compose", "metadata") })
            Assert.Single(ComposeManifest.Load(path).Packages["Server.x86_64"]);
    }
}
