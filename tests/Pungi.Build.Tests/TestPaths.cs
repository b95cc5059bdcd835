namespace Pungi.Build.Tests;

/// <summary>Where the repository and the shared fixtures are, found from the test assembly.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary><c>../shared/</c> beside the repository: fixtures and reference material, read-only.</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Fixtures => Path.Combine(Shared, "fixtures");

    public static string PungiDummyRpms => Path.Combine(Fixtures, "pungi-dummy", "rpms");

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !File.Exists(Path.Combine(dir.FullName, "Pungi.Build.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pungi.Build.sln not found above the test assembly");
    }
}
