using Xunit;
using System.Diagnostics;
using Pungi.Build.Compression;

namespace Pungi.Build.Tests.Repodata;

/// <summary>Temp directories, fixture paths and real-tool runs for the repodata tests.</summary>
internal static class RepodataTestSupport
{
    public static string DummyRepos => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "repos");

    public static string DummyComps => Path.Combine(TestPaths.Fixtures, "pungi-dummy", "dummy-comps.xml");

    public static string TempDir(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "pungi-repodata-tests", name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Decompressed text of a repodata file.</summary>
    public static string ReadText(string path)
    {
        using var s = Compressor.OpenRead(path);
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }

    public static void RequireTool(string tool) => Interop.RequireTool(tool);

    public static string Run(string file, params string[] args) => Interop.Run(file, args);
}
