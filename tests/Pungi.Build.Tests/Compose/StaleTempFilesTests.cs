using Pungi.Build.Compose;

namespace Pungi.Build.Tests.Compose;

/// <summary>Issue #13: the temp files a killed build leaves are removed at the next start, and nothing else is.</summary>
public sealed class StaleTempFilesTests
{
    [Fact]
    public void Remove_TakesOursAnywhere_AndMSBuildsOnlyInStampsFolders()
    {
        using var dir = new TempDir();
        string[] temps =
        [
            "compose/Server/x86_64/os/repodata/.primary.xml.gz.0123456789abcdef0123456789abcdef.tmp", // repodata writer
            "work/x86_64/package_list/.Server.x86_64.rpm.conf.tmp-42-0123456789abcdef0123456789abcdef", // AtomicFile
            "compose/Server/x86_64/os/Packages/a-1-1.noarch.rpm.tmp-42", // PackageLinker copy
            "work/global/stamps/wpiudeki.edf~", // MSBuild WriteLinesToFile, killed before its move
        ];
        string[] kept =
        [
            "compose/Server/x86_64/os/Packages/a-1-1.noarch.rpm",
            "work/global/notes/wpiudeki.edf~", // the same shape outside a stamps folder is someone's file
            "work/global/stamps/Repoclosure.props",
        ];
        foreach (var f in temps.Concat(kept))
        {
            var path = Path.Combine(dir.Path, f);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "x");
        }
        Assert.Equal(temps.Length, StaleTempFiles.Remove(dir.Path));
        Assert.All(temps, f => Assert.False(File.Exists(Path.Combine(dir.Path, f)), f));
        Assert.All(kept, f => Assert.True(File.Exists(Path.Combine(dir.Path, f)), f));
    }
}
