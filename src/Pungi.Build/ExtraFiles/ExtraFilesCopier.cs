using Pungi.Build.Checksums;
using Pungi.Build.Comps;
using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Metadata;
using Pungi.Build.Variants;

namespace Pungi.Build.ExtraFiles;

/// <summary>
/// One scm dict of <c>extra_files</c> (spec §2.5, §2.21): <c>scm</c> (<c>file</c>, <c>git</c> or <c>rpm</c>), <c>repo</c>,
/// <c>branch</c>, <c>file</c> globs or a <c>dir</c>, and <c>target</c> (a directory inside the tree).
/// </summary>
public sealed record ExtraFileSource(string Scm, string? Repo, string? Branch, IReadOnlyList<string> Files, string? Dir, string Target,
    SourceLocation Where = default)
{
    public string Describe => Scm == "git" ? $"git {Repo}@{Branch ?? GitScm.DefaultBranch} {(Dir ?? string.Join(",", Files))}" : Dir ?? string.Join(",", Files);
}

/// <summary>What one sync of the fetched files into a tree changed.</summary>
public sealed record ExtraFilesSync(IReadOnlyList<string> Files, IReadOnlyList<string> Written, IReadOnlyList<string> Removed);

/// <summary>
/// The ExtraFiles phase's file handling (upstream <c>copy_extra_files</c>, <c>get_file_from_scm</c>,
/// <c>get_dir_from_scm</c>, <c>copy_all</c>, <c>populate_extra_files_metadata</c>): every source fetched into
/// <c>work/&lt;arch&gt;/&lt;V&gt;/extra-files/&lt;target&gt;/</c>, then that directory copied into the tree.
/// Copies into the tree rewrite a file only when its bytes differ, so an unchanged extra file leaves the tree (and the
/// ISO built from it) alone; a rewritten file gets the current time, never the source's, so the later phases see it.
/// </summary>
public static class ExtraFilesCopier
{
    /// <summary>
    /// Empties <paramref name="workDir"/> and fetches every source into it, in order (a later source overwrites an
    /// earlier one's file of the same name, as upstream's copies do). Relative local paths are relative to
    /// <paramref name="baseDir"/> (the project directory, where Pungi reads them relative to the config).
    /// </summary>
    /// <param name="packageSetRpms">
    /// For <c>scm: rpm</c> with a <c>repo</c> that is no absolute path or URL: the RPM files of the arch's package set
    /// that the repo (a name glob, optionally <c>.arch</c>) names; null when there is no package set to look in.
    /// </param>
    public static void Fetch(IReadOnlyList<ExtraFileSource> sources, string baseDir, string workDir, string logFile,
        Func<ExtraFileSource, IReadOnlyList<string>>? packageSetRpms = null, CancellationToken ct = default)
    {
        if (Directory.Exists(workDir)) Directory.Delete(workDir, recursive: true);
        Directory.CreateDirectory(workDir);
        foreach (var source in sources)
        {
            ct.ThrowIfCancellationRequested();
            var target = TargetDir(workDir, source);
            switch (source.Scm)
            {
                case "file":
                    Export(source, baseDir, target);
                    break;
                case "git":
                    var checkout = Path.Combine(Path.GetTempPath(), "pungi-scm-" + Guid.NewGuid().ToString("N")[..12]);
                    try
                    {
                        if (string.IsNullOrEmpty(source.Repo))
                            throw new PungiException(ErrorCodes.ExtraFilesBadScm, "An ExtraFile with Scm=git needs a Repo.", source.Where.File, source.Where.Line, source.Where.Column);
                        GitScm.Checkout(IsUrl(source.Repo) ? source.Repo : Path.GetFullPath(source.Repo, baseDir), source.Branch, checkout, logFile, ct);
                        Export(source, checkout, target);
                    }
                    finally
                    {
                        DeleteTree(checkout);
                    }
                    break;
                case "rpm":
                    if (string.IsNullOrEmpty(source.Repo))
                        throw new PungiException(ErrorCodes.ExtraFilesBadScm, "An ExtraFile with Scm=rpm needs a Repo: RPM file globs, or a package name glob of the package set.", source.Where.File, source.Where.Line, source.Where.Column);
                    IReadOnlyList<string> rpms;
                    if (source.Repo.StartsWith('/'))
                        rpms = Glob("/", source.Repo);
                    else if (IsUrl(source.Repo))
                        throw new PungiException(ErrorCodes.ExtraFilesBadScm, $"ExtraFile Scm=rpm Repo '{source.Repo}': RPMs are read from local paths or the package set, not from URLs.", source.Where.File, source.Where.Line, source.Where.Column);
                    else
                        rpms = packageSetRpms?.Invoke(source) ?? [];
                    foreach (var rpm in rpms)
                        ExportFromRpm(source, rpm, target);
                    break;
                default:
                    throw new PungiException(ErrorCodes.ExtraFilesBadScm,
                        $"ExtraFile Scm '{source.Scm}' is not supported here (file, git, rpm); cvs and koji sources are not fetched by Pungi.Build.",
                        source.Where.File, source.Where.Line, source.Where.Column);
            }
        }
    }

    private static bool IsUrl(string repo) => repo.Contains("://", StringComparison.Ordinal);

    /// <summary>
    /// Upstream's <c>RpmScmWrapper</c>: the RPM exploded into a scratch directory, then <c>file</c> globs (leading
    /// <c>/</c> dropped) copied by base name — no match is no error there — or <c>dir</c>: <c>dir/</c> copies its
    /// contents, <c>dir</c> the directory itself.
    /// </summary>
    private static void ExportFromRpm(ExtraFileSource source, string rpm, string target)
    {
        var exploded = Path.Combine(Path.GetTempPath(), "pungi-rpm-" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            Rpm.RpmPayloadReader.ExtractTo(rpm, exploded);
            Directory.CreateDirectory(target);
            if (!string.IsNullOrEmpty(source.Dir))
            {
                var rel = source.Dir.TrimStart('/');
                var dir = Path.GetFullPath(Path.Combine(exploded, rel));
                if (!IsInside(dir, exploded) || !Directory.Exists(dir))
                    throw new PungiException(ErrorCodes.ExtraFilesDirMissing, $"ExtraFile Dir '{source.Dir}' is not a directory in {Path.GetFileName(rpm)}.",
                        source.Where.File, source.Where.Line, source.Where.Column);
                var into = rel.EndsWith('/') ? target : Path.Combine(target, Path.GetFileName(Path.TrimEndingDirectorySeparator(dir)));
                foreach (var f in ListFiles(dir))
                    CopyFile(Path.Combine(dir, f), Path.Combine(into, f));
                return;
            }
            foreach (var pattern in source.Files)
                foreach (var m in Glob(exploded, pattern.TrimStart('/')))
                    CopyFile(m, Path.Combine(target, Path.GetFileName(m)));
        }
        finally
        {
            DeleteTree(exploded);
        }
    }

    /// <summary><c>target.lstrip("/")</c> under the work dir; a target leaving it is an error.</summary>
    private static string TargetDir(string workDir, ExtraFileSource source)
    {
        var full = Path.GetFullPath(Path.Combine(workDir, source.Target.TrimStart('/')));
        if (!IsInside(full, workDir))
            throw new PungiException(ErrorCodes.ExtraFilesBadTarget, $"ExtraFile Target '{source.Target}' leaves the tree.",
                source.Where.File, source.Where.Line, source.Where.Column);
        return full;
    }

    /// <summary>
    /// <c>export_file</c> (every glob match copied by its base name, no match an error: "No files matched") or
    /// <c>export_dir</c> (the directory's contents, recursively) from <paramref name="root"/> into
    /// <paramref name="target"/>.
    /// </summary>
    private static void Export(ExtraFileSource source, string root, string target)
    {
        Directory.CreateDirectory(target);
        if (!string.IsNullOrEmpty(source.Dir))
        {
            var dir = Path.GetFullPath(source.Dir, root);
            if (!Directory.Exists(dir))
                throw new PungiException(ErrorCodes.ExtraFilesDirMissing, $"ExtraFile Dir '{source.Dir}' is not a directory ({dir}).",
                    source.Where.File, source.Where.Line, source.Where.Column);
            foreach (var rel in ListFiles(dir))
                CopyFile(Path.Combine(dir, rel), Path.Combine(target, rel));
            return;
        }
        foreach (var pattern in source.Files)
        {
            var matches = Glob(root, pattern);
            if (matches.Count == 0)
                throw new PungiException(ErrorCodes.ExtraFilesNoMatch, $"No files matched {pattern} (ExtraFile {source.Describe}).",
                    source.Where.File, source.Where.Line, source.Where.Column);
            foreach (var m in matches)
                CopyFile(m, Path.Combine(target, Path.GetFileName(m)));
        }
    }

    /// <summary>
    /// Python <c>glob.glob</c> over files: wildcards (<c>* ? [..]</c>) in any path segment, names starting with a dot
    /// only matched by a pattern starting with one; results sorted (Python's order is the directory's, ours is fixed).
    /// </summary>
    public static List<string> Glob(string root, string pattern)
    {
        var full = Path.GetFullPath(pattern, root);
        var segments = full.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = ["/"];
        foreach (var seg in segments)
        {
            bool wild = seg.IndexOfAny(['*', '?', '[']) >= 0;
            current = current.SelectMany<string, string>(dir =>
            {
                if (!wild)
                {
                    var p = Path.Combine(dir, seg);
                    return File.Exists(p) || Directory.Exists(p) ? [p] : Array.Empty<string>();
                }
                if (!Directory.Exists(dir)) return [];
                return Directory.EnumerateFileSystemEntries(dir)
                    .Where(e => { var n = Path.GetFileName(e); return (n[0] != '.' || seg[0] == '.') && FnMatch.IsMatch(n, seg); })
                    .Order(StringComparer.Ordinal);
            }).ToList();
        }
        return current.Where(File.Exists).ToList();
    }

    /// <summary>Every file under <paramref name="dir"/> (recursively), relative with '/', sorted ordinally.</summary>
    public static List<string> ListFiles(string dir)
        => !Directory.Exists(dir)
            ? []
            : Directory.EnumerateFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
                .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/'))
                .Order(StringComparer.Ordinal)
                .ToList();

    private static void CopyFile(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to, overwrite: true);
    }

    /// <summary>
    /// <c>copy_all(work dir, tree)</c>, content-only: each fetched file is written into <paramref name="treeDir"/>
    /// when its bytes (or mode) differ; files listed in <paramref name="previous"/> (the last run's) that are no longer
    /// fetched are removed, so removing an extra file from the config removes it from the tree.
    /// </summary>
    public static ExtraFilesSync Sync(string workDir, string treeDir, IReadOnlyCollection<string> previous, CancellationToken ct = default)
    {
        var files = ListFiles(workDir);
        var written = new List<string>();
        foreach (var rel in files)
        {
            ct.ThrowIfCancellationRequested();
            var src = Path.Combine(workDir, rel);
            var dest = Path.GetFullPath(Path.Combine(treeDir, rel));
            if (!IsInside(dest, treeDir))
                throw new PungiException(ErrorCodes.ExtraFilesBadTarget, $"Extra file '{rel}' would leave the tree {treeDir}.");
            Directory.CreateDirectory(Path.GetDirectoryName(dest)!);
            bool changed = AtomicFile.WriteIfChanged(dest, s => { using var input = File.OpenRead(src); input.CopyTo(s); });
            // shutil.copy2 keeps the permission bits (an executable script stays executable).
            if (!OperatingSystem.IsWindows() && File.GetUnixFileMode(src) is var mode && File.GetUnixFileMode(dest) != mode)
            {
                File.SetUnixFileMode(dest, mode);
                changed = true;
            }
            if (changed) written.Add(rel);
        }
        var now = files.ToHashSet(StringComparer.Ordinal);
        var removed = new List<string>();
        foreach (var rel in previous.Where(p => !now.Contains(p)))
        {
            var dest = Path.GetFullPath(Path.Combine(treeDir, rel));
            if (IsInside(dest, treeDir) && File.Exists(dest))
            {
                File.Delete(dest);
                removed.Add(rel);
            }
        }
        return new ExtraFilesSync(files, written, removed);
    }

    /// <summary>
    /// <c>populate_extra_files_metadata</c>: size and every <c>media_checksums</c> digest of each file, with its path
    /// as <paramref name="prefix"/> + the tree-relative one (the prefix is the tree relative to <c>compose/</c> for
    /// the global file, empty for the per-tree one).
    /// </summary>
    public static List<ExtraFileEntry> Describe(string treeDir, IEnumerable<string> files, IReadOnlyList<string> checksumTypes, string prefix = "",
        CancellationToken ct = default)
        => files.Select(rel =>
        {
            var path = Path.Combine(treeDir, rel);
            return new ExtraFileEntry(prefix + rel, new FileInfo(path).Length, MediaChecksums.Compute(path, checksumTypes, ct));
        }).ToList();

    private static bool IsInside(string path, string dir)
    {
        var d = Path.TrimEndingDirectorySeparator(Path.GetFullPath(dir)) + "/";
        return (Path.TrimEndingDirectorySeparator(path) + "/").StartsWith(d, StringComparison.Ordinal);
    }

    private static void DeleteTree(string dir)
    {
        try
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
