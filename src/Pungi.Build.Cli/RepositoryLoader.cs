using Pungi.Build.Diagnostics;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Cli;

/// <summary>A package read from a repository with the file it lives at (repository directory + location).</summary>
internal sealed record RepoPackage(RpmPackage Package, string Path);

/// <summary>
/// Reads a <c>--repo</c>/<c>--lookaside</c> directory: its <c>repodata/</c> when there is one (primary and filelists;
/// the RPM files need not exist), else the headers of the RPM files under it. Every failure is a coded
/// <see cref="PungiException"/> naming the path.
/// </summary>
internal static class RepositoryLoader
{
    public static IReadOnlyList<RepoPackage> Load(string dir)
    {
        string full = System.IO.Path.GetFullPath(dir);
        if (!Directory.Exists(full))
            throw new PungiException(ErrorCodes.GatherCliRepositoryUnreadable,
                File.Exists(full) ? $"repository {dir} is a file, not a directory" : $"repository {dir} does not exist", full);
        try
        {
            if (Directory.Exists(System.IO.Path.Combine(full, "repodata")))
            {
                // Changelogs (other.xml) play no part in depsolving; primary and filelists carry every dependency.
                return RepodataReader.Read(full, new RepodataReadOptions { Other = false })
                    .Select(p => new RepoPackage(p, System.IO.Path.GetFullPath(System.IO.Path.Combine(full, p.Location))))
                    .ToList();
            }
            var files = Directory.EnumerateFiles(full, "*.rpm", new EnumerationOptions { RecurseSubdirectories = true })
                .Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
                throw new PungiException(ErrorCodes.GatherCliRepositoryUnreadable,
                    $"repository {dir} holds neither repodata/ nor RPM files", full);
            var options = new RpmReadOptions { ChecksumType = null, RepositoryRoot = full, ChangelogLimit = 0 };
            return files.Select(f => new RepoPackage(RpmHeaderReader.Read(f, options), f)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PungiException(ErrorCodes.GatherCliRepositoryUnreadable, $"repository {dir} cannot be read: {e.Message}", full, inner: e);
        }
    }
}
