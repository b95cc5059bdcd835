using System.Globalization;
using Pungi.Build.Compose;
using Pungi.Build.Metadata;
using Pungi.Build.Repodata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// The tree metadata Pungi writes after the essentials (spec §2.0.3), per variant.arch (and <c>src</c>):
/// <c>.treeinfo</c> (§6.7), then <c>.discinfo</c> and <c>media.repo</c> with one timestamp (§6.8, §6.9). Addons and
/// is_empty variants get none, as upstream's writers skip them. Every file is written only when its bytes change.
/// </summary>
public sealed class WriteTreeinfo : VariantArchTask
{
    /// <summary><c>treeinfo_version</c>: <c>[release] version</c> of the .treeinfo instead of the release version.</summary>
    public string? TreeinfoVersion { get; set; }
    /// <summary><c>release_discinfo_description</c>: %-template (variant_name, arch) of the .discinfo description.</summary>
    public string? ReleaseDiscinfoDescription { get; set; }
    /// <summary><c>createrepo_checksum</c>: the digest of the <c>[checksums]</c> entries.</summary>
    public string? CreaterepoChecksum { get; set; }

    protected override string PhaseName => "Treeinfo";

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        // Upstream write_tree_info / write_discinfo: addons live in the parent's tree, is_empty variants have none.
        if (v.Type == VariantType.Addon || v.IsEmpty)
            return;
        var layout = Layout;
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var (seconds, text) = Timestamp(layout, v);

        var treeinfo = TreeInfo.ForVariant(compose, v, Arch, layout, seconds, string.IsNullOrEmpty(TreeinfoVersion) ? null : TreeinfoVersion);
        var tree = layout.OsTree(v, Arch);
        // Boot images: only a type "variant" tree gets lorax's data (§6.7), and only when Buildinstall left a .treeinfo.
        var lorax = Arch == "src" ? null : Path.Combine(layout.BuildinstallDir(Arch, v), ".treeinfo");
        if (v.Type == VariantType.Variant && lorax is not null && File.Exists(lorax))
        {
            treeinfo.MergeBuildinstall(TreeInfo.Read(lorax));
            // Upstream's repomd.xml checksum never lands in a tree (it tests a relative path against the cwd): the
            // observable output lists image checksums only, and so do we.
            treeinfo.AddChecksums(tree, string.IsNullOrEmpty(CreaterepoChecksum) ? "sha256" : CreaterepoChecksum!);
        }
        Directory.CreateDirectory(tree);
        bool changed = treeinfo.Write(layout.TreeInfo(v, Arch));

        var discinfo = new DiscInfo(text, DiscInfo.DescriptionFor(compose, v, Arch, ReleaseDiscinfoDescription), Arch);
        changed |= discinfo.Write(layout.DiscInfo(v, Arch));
        changed |= MediaRepo.Write(layout.MediaRepo(v, Arch), discinfo);
        LogProgress($"Treeinfo {Variant}.{Arch}: .treeinfo, .discinfo, media.repo in {tree}{(changed ? "" : " (unchanged)")}");
    }

    /// <summary>
    /// Upstream stamps the tree with the wall clock; a rebuild here must not change files that did not change, so the
    /// time is SOURCE_DATE_EPOCH when set, else the revision of the tree's repomd.xml (itself SOURCE_DATE_EPOCH or the
    /// newest build time, see Createrepo), else the integer mtime of the variant's definition file (rewritten only
    /// when it changes). Returns the integer .treeinfo value and the 6-decimal .discinfo/media.repo string.
    /// </summary>
    private (long Seconds, string Text) Timestamp(ComposeLayout layout, Variant v)
    {
        var sde = Environment.GetEnvironmentVariable("SOURCE_DATE_EPOCH");
        string? source = string.IsNullOrEmpty(sde) ? null : sde.Trim();
        if (source is null)
        {
            var repo = layout.Repository(v, Arch);
            if (File.Exists(Path.Combine(repo, "repodata", "repomd.xml")))
                source = RepodataReader.ReadRepomd(repo).Revision;
        }
        if (source is null || !double.TryParse(source, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            var definition = Path.Combine(layout.WorkDir, "global", "variants", v.Uid + ".json");
            seconds = File.Exists(definition) ? new DateTimeOffset(File.GetLastWriteTimeUtc(definition)).ToUnixTimeSeconds() : 0;
        }
        var text = DiscInfo.NewTimestamp(sourceDateEpoch: seconds.ToString("R", CultureInfo.InvariantCulture));
        return ((long)seconds, text);
    }
}
