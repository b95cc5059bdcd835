using Pungi.Build.Compose;
using Pungi.Build.Diagnostics;
using Pungi.Build.Iso;
using Pungi.Build.Repodata;
using Pungi.Build.Rpm;

namespace Pungi.Build.Tests.Reliability;

/// <summary>
/// Issue #13, full disk and failing I/O: an image or repodata write that fails removes its partial output and leaves
/// the previous content usable. The disk is made full for real: the writer's temporary file is a link to /dev/full,
/// where every write fails with ENOSPC (the tests run as root here, so read-only directories would not stop them).
/// The DOOMED status that follows a failed phase is pinned by Build/BadInputTests.
/// </summary>
public sealed class FailingWriteTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("pungi-failing-io-").FullName;

    [SkippableFact]
    public void IsoWrite_OnAFullDisk_RemovesItsPartialOutput_AndKeepsThePreviousImage()
    {
        Skip.IfNot(File.Exists("/dev/full"), "/dev/full is not available");
        var tree = Path.Combine(_root, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllBytes(Path.Combine(tree, "big.bin"), new byte[3 << 20]);
        File.WriteAllText(Path.Combine(tree, "readme.txt"), "hello\n");
        var iso = Path.Combine(_root, "iso", "test.iso");
        var spec = new IsoImageSpec { SourceDirectory = tree, VolumeId = "TEST", Timestamp = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000) };
        IsoWriter.Write(spec, iso);
        var before = File.ReadAllBytes(iso);

        // The writer's temporary name (beside the target, with this process and thread) now leads to a full disk.
        var temp = Path.Combine(Path.GetDirectoryName(iso)!, $".{Path.GetFileName(iso)}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp");
        File.CreateSymbolicLink(temp, "/dev/full");
        File.WriteAllText(Path.Combine(tree, "readme.txt"), "changed\n");
        var e = Record.Exception(() => IsoWriter.Write(spec, iso));
        Assert.True(e is IOException or PungiException, $"expected an I/O error, got {e}");
        if (e is IOException io) Assert.Contains("space", io.Message, StringComparison.OrdinalIgnoreCase);

        Assert.False(File.Exists(temp) || new FileInfo(temp).LinkTarget is not null, "the partial image was left behind");
        Assert.Equal(before, File.ReadAllBytes(iso)); // the previous image is untouched and still reads
        using var reader = IsoReader.Open(iso);
        Assert.Equal("TEST", reader.VolumeId);
        Assert.Equal(["test.iso"], Directory.EnumerateFileSystemEntries(Path.GetDirectoryName(iso)!).Select(Path.GetFileName));
    }

    [Fact]
    public void RepodataWrite_ThatFails_RemovesItsPartialOutput_AndThePreviousRepositoryStillReads()
    {
        var rpms = Directory.EnumerateFiles(Path.Combine(TestPaths.PungiDummyRpms, "x86_64"), "*.rpm").Order(StringComparer.Ordinal).Take(4)
            .Select((f, i) => RpmHeaderReader.Read(f).WithLocation($"Packages/p{i}.rpm")).ToList();
        var options = new RepodataOptions { Timestamp = 1 };
        var repo = Path.Combine(_root, "repo");
        RepodataWriter.Write(repo, rpms.Take(2), options);
        var repodata = Path.Combine(repo, "repodata");
        var old = Directory.EnumerateFiles(repodata).ToDictionary(f => f, File.ReadAllBytes);

        // Learn the new primary's final name from a scratch write, then put a directory there: the rename fails.
        var scratch = Path.Combine(_root, "scratch");
        RepodataWriter.Write(scratch, rpms, options);
        var newPrimary = Path.GetFileName(Directory.EnumerateFiles(Path.Combine(scratch, "repodata"), "*primary.xml*").Single());
        Directory.CreateDirectory(Path.Combine(repodata, newPrimary, "blocker"));

        var e = Assert.Throws<PungiException>(() => RepodataWriter.Write(repo, rpms, options));
        Assert.StartsWith("PUNGI4", e.Code);
        Directory.Delete(Path.Combine(repodata, newPrimary), recursive: true);

        // No temporary file remains, every old file is as it was, and the old repository still reads whole.
        Assert.DoesNotContain(Directory.EnumerateFiles(repodata), f => StaleTempFiles.IsTempName(Path.GetFileName(f)) || Path.GetFileName(f).StartsWith('.'));
        Assert.All(old, kv => Assert.Equal(kv.Value, File.ReadAllBytes(kv.Key)));
        Assert.Equal(old.Keys.Order(StringComparer.Ordinal), Directory.EnumerateFiles(repodata).Order(StringComparer.Ordinal));
        Assert.Equal(2, RepodataReader.Read(repo).Count());
    }

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
