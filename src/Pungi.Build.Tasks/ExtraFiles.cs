using Microsoft.Build.Framework;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.ExtraFiles;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.Tasks;

/// <summary>
/// ExtraFiles phase (spec §2.5), per variant.arch (and src): the <c>ExtraFile</c> items matching it are fetched into
/// <c>work/&lt;arch&gt;/&lt;V&gt;/extra-files/</c> and copied into the tree (content-only), the tree's
/// <c>extra_files.json</c> is written, and <c>work/&lt;arch&gt;/&lt;V&gt;/extra_files.json</c> records this
/// variant.arch's entries for the global <c>compose/metadata/extra_files.json</c> (<see cref="WriteExtraFilesMetadata"/>).
/// </summary>
public sealed class ExtraFiles : VariantArchTask
{
    public ITaskItem[] ExtraFileItems { get; set; } = [];
    public string? MediaChecksums { get; set; }

    protected override void ExecutePhase()
    {
        var (_, v) = LoadVariant();
        var layout = Layout;
        var record = RecordPath(layout, Arch, v);
        var tree = layout.OsTree(v, Arch);
        var prefix = Path.GetRelativePath(layout.ComposeDir, tree).Replace('\\', '/') + "/";
        var previous = File.Exists(record) ? ReadRecord(record).Select(e => e.File[prefix.Length..]).ToList() : [];

        // get_arch_variant_data(conf, "extra_files", arch, variant); is_empty variants are skipped, as upstream.
        var sources = v.IsEmpty ? [] : ConfigLookup.GetArchVariantData(Sources(ExtraFileItems), Arch, v.Uid);
        if (sources.Count == 0)
        {
            if (previous.Count == 0) return;
            // Configuration removed: take the files it put into the tree back out.
            var stale = layout.ExtraFilesDir(Arch, v);
            if (Directory.Exists(stale)) Directory.Delete(stale, recursive: true);
            var gone = ExtraFilesCopier.Sync(stale, tree, previous, CancellationToken);
            if (v.Type != VariantType.Addon && File.Exists(layout.TreeExtraFiles(v, Arch))) File.Delete(layout.TreeExtraFiles(v, Arch));
            File.Delete(record);
            LogProgress($"ExtraFiles {v.Uid}.{Arch}: no extra files configured any more, {gone.Removed.Count} removed from the tree");
            return;
        }

        var types = Checksums.MediaChecksums.Validate(Createiso.ParseList(MediaChecksums), false);
        var work = layout.ExtraFilesDir(Arch, v);
        ExtraFilesCopier.Fetch(sources, Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!, work,
            layout.LogFile(Arch, $"extra-files-{v.Uid}"), s => PackageSetRpms(s, v), CancellationToken);
        var sync = ExtraFilesCopier.Sync(work, tree, previous, CancellationToken);

        // Addons share the parent's tree; upstream's per-tree file would then hold only the addon's entries, so the
        // parent keeps its own file and the addon's files are listed in the global metadata only.
        if (v.Type != VariantType.Addon)
            AtomicFile.WriteIfChanged(layout.TreeExtraFiles(v, Arch),
                ExtraFilesJson.SerializeTree(ExtraFilesCopier.Describe(tree, sync.Files, types, "", CancellationToken)));
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var json = new ExtraFilesJson(ComposeHeader.From(compose));
        foreach (var e in ExtraFilesCopier.Describe(tree, sync.Files, types, prefix, CancellationToken))
            json.Add(v.Uid, Arch, e);
        json.Write(record);
        LogProgress($"ExtraFiles {v.Uid}.{Arch}: {sync.Files.Count} files, {sync.Written.Count} written, {sync.Removed.Count} removed");
    }

    /// <summary>
    /// Upstream's <c>copy_extra_files</c> for <c>scm: rpm</c> with a bare repo: the repo with <c>%(arch)s</c>,
    /// <c>%(variant_id)s</c>, <c>%(variant_uid)s</c> (and their <c>_lower</c> forms) filled in is a name glob, with an
    /// optional <c>.arch</c>, matched against the binary packages of the arch's package set (src: the global one);
    /// nothing matching is an error ("No package matching … in the package set").
    /// </summary>
    private List<string> PackageSetRpms(ExtraFileSource source, Variant v)
    {
        var pattern = source.Repo!
            .Replace("%(arch)s", Arch, StringComparison.Ordinal)
            .Replace("%(variant_id)s", v.Id, StringComparison.Ordinal).Replace("%(variant_id_lower)s", v.Id.ToLowerInvariant(), StringComparison.Ordinal)
            .Replace("%(variant_uid)s", v.Uid, StringComparison.Ordinal).Replace("%(variant_uid_lower)s", v.Uid.ToLowerInvariant(), StringComparison.Ordinal);
        var (name, arch) = Pungi.Build.Gather.GatherSources.SplitNameArch(pattern);
        var set = Pungi.Build.Pkgset.PackageSetStore.LoadCompose(Layout.WorkDir, Arch == "src" ? "global" : Arch);
        var rpms = set.Packages
            .Where(e => !e.Summary.IsSource && Pungi.Build.Gather.PackageGlob.IsMatch(e.Summary.Name, name) && (arch is null || e.Summary.Arch == arch))
            .Select(e => e.Path).ToList();
        if (rpms.Count == 0)
            throw new PungiException(ErrorCodes.ExtraFilesNoPackage, $"No package matching {pattern} in the package set (ExtraFile Scm=rpm).",
                source.Where.File, source.Where.Line, source.Where.Column);
        return rpms;
    }

    /// <summary><c>work/&lt;arch&gt;/&lt;V&gt;/extra_files.json</c>: this variant.arch's entries, global format.</summary>
    internal static string RecordPath(ComposeLayout layout, string arch, Variant v)
        => Path.Combine(layout.WorkTopdir(arch), v.Uid, "extra_files.json");

    internal static IReadOnlyList<ExtraFileEntry> ReadRecord(string path)
    {
        try
        {
            return ExtraFilesJson.Read(path).Files.Values.SelectMany(a => a.Values).SelectMany(l => l).ToList();
        }
        catch (PungiException e)
        {
            throw new PungiException(ErrorCodes.ExtraFilesRecordInvalid, $"The ExtraFiles record {path} is unreadable ({e.Message}); delete it and rebuild.", path);
        }
    }

    /// <summary>
    /// The items as scm dicts: Include (or <c>File</c> metadata, where MSBuild must not expand a wildcard) is the
    /// <c>file</c> glob, or <c>Dir</c> names a directory; <c>Scm</c> defaults to <c>file</c>.
    /// </summary>
    internal static List<VariantArchValue<ExtraFileSource>> Sources(ITaskItem[] items)
        => items.Select(i =>
        {
            var (f, l, c) = ItemLocation.Find(i, "ExtraFile");
            var where = new SourceLocation(f, l, c);
            string M(string name) => i.GetMetadata(name);
            var file = string.IsNullOrEmpty(M("File")) ? i.ItemSpec : M("File");
            var scm = string.IsNullOrEmpty(M("Scm")) ? "file" : M("Scm");
            var source = new ExtraFileSource(scm, NullIfEmpty(M("Repo")), NullIfEmpty(M("Branch")),
                file.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), NullIfEmpty(M("Dir")), M("Target"), where);
            return new VariantArchValue<ExtraFileSource>(string.IsNullOrEmpty(M("Variant")) ? "^.*$" : M("Variant"),
                string.IsNullOrEmpty(M("Arch")) ? "*" : M("Arch"), source, where);
        }).ToList();

    private static string? NullIfEmpty(string s) => string.IsNullOrEmpty(s) ? null : s;
}

/// <summary>
/// The global <c>compose/metadata/extra_files.json</c> (spec §6.5): the variant.arch records merged. Written only when
/// <c>ExtraFile</c> items are configured (upstream's phase is skipped without <c>extra_files</c>), removed otherwise.
/// </summary>
public sealed class WriteExtraFilesMetadata : ComposePhaseTask
{
    public bool Configured { get; set; }

    protected override string PhaseName => "ExtraFilesMetadata";

    protected override void ExecutePhase()
    {
        var layout = Layout;
        var target = layout.Metadata("extra_files.json");
        if (!Configured)
        {
            if (File.Exists(target)) File.Delete(target);
            return;
        }
        var compose = ComposeInfoJson.Read(layout.ComposeInfoBase).Compose;
        var json = new ExtraFilesJson(ComposeHeader.From(compose));
        int count = 0;
        foreach (var v in LoadModel().All)
            foreach (var arch in v.Arches.Append("src"))
            {
                var record = ExtraFiles.RecordPath(layout, arch, v);
                if (!File.Exists(record)) continue;
                foreach (var e in ExtraFiles.ReadRecord(record))
                {
                    json.Add(v.Uid, arch, e);
                    count++;
                }
            }
        Directory.CreateDirectory(layout.MetadataDir);
        json.Write(target);
        LogProgress($"ExtraFiles metadata: {count} files");
    }
}
