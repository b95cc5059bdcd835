namespace Pungi.Build.Tests.Build;

/// <summary>A copy of <c>samples/dummy-product</c> in a temp folder, its composeproj importing the SDK by absolute path.</summary>
internal static class SampleCompose
{
    public static ComposeProject Create(string composeDate = "20261127")
    {
        var project = new ComposeProject("dummy-product");
        var sample = Path.Combine(TestPaths.RepoRoot, "samples", "dummy-product");
        foreach (var f in new[] { "variants.xml", "comps.xml" })
            File.Copy(Path.Combine(sample, f), Path.Combine(project.Dir, f));
        CopyTree(Path.Combine(sample, "rpms"), Path.Combine(project.Dir, "rpms"));
        var text = File.ReadAllText(Path.Combine(sample, "dummy-product.composeproj"))
            .Replace("../../targets/", Path.Combine(TestPaths.RepoRoot, "targets") + "/", StringComparison.Ordinal)
            .Replace("<ComposeType>test</ComposeType>", $"<ComposeType>test</ComposeType>\n    <ComposeDate>{composeDate}</ComposeDate>", StringComparison.Ordinal);
        File.WriteAllText(project.ProjectPath, text);
        return project;
    }

    public static string TopDir(ComposeProject p, string id = "SAMPLE-1.0-20261127.t.0") => Path.Combine(p.Dir, "bin", id);

    private static void CopyTree(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            File.Copy(file, Path.Combine(to, Path.GetRelativePath(from, file)));
    }
}
