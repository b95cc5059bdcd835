using Pungi.Build.Checksums;

namespace Pungi.Build.Tests.Checksums;

/// <summary>
/// The image caches of ImageChecksum and Test (issue 11: one changed variant re-reads only its own images): a digest
/// is reused only while the image is the same file version (size, mtime, ctime, inode), and recomputed after every
/// way an image can change. The computation is the phase's own (<see cref="MediaChecksums.Compute"/>), and every
/// value returned is compared with a fresh computation, so a stale hit would fail.
/// </summary>
public sealed class FileFactCacheTests : IDisposable
{
    private static readonly string[] Types = ["md5", "sha1", "sha256"];
    private readonly string _dir = Directory.CreateTempSubdirectory("pungi-factcache-").FullName;
    private string CachePath => Path.Combine(_dir, "work", "global", "image-checksums.cache");
    private string Image => Path.Combine(_dir, "image.iso");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static readonly DateTime LongAgo = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private void WriteImage(byte fill, DateTime mtime)
    {
        var bytes = new byte[3 << 20];
        Array.Fill(bytes, fill);
        File.WriteAllBytes(Image, bytes);
        File.SetLastWriteTimeUtc(Image, mtime);
    }

    /// <summary>One run of the phase: load, get the image's digests, save; returns (value, was it computed).</summary>
    private (string Value, bool Computed) Run()
    {
        var cache = FileFactCache.Load(CachePath);
        bool computed = false;
        var value = cache.Get(Image, "digests:md5,sha1,sha256", () =>
        {
            computed = true;
            var sums = MediaChecksums.Compute(Image, Types);
            return string.Join(',', Types.Select(t => sums[t]));
        });
        cache.Save();
        var fresh = MediaChecksums.Compute(Image, Types);
        Assert.Equal(string.Join(',', Types.Select(t => fresh[t])), value);
        return (value, computed);
    }

    [Fact]
    public void UnchangedImage_IsReadOnce_ThenTakenFromTheCache()
    {
        WriteImage(1, LongAgo);
        Assert.True(Run().Computed);
        Assert.False(Run().Computed);
        Assert.False(Run().Computed);
    }

    [Fact]
    public void ImageRewrittenInPlace_SameSizeNewContentAndMtime_IsReadAgain()
    {
        WriteImage(1, LongAgo);
        var first = Run();
        using (var fs = new FileStream(Image, FileMode.Open, FileAccess.Write))
            fs.Write(new byte[4096]); // same size, same inode
        File.SetLastWriteTimeUtc(Image, LongAgo.AddMinutes(1));
        var second = Run();
        Assert.True(second.Computed);
        Assert.NotEqual(first.Value, second.Value);
    }

    [SkippableFact]
    public void ImageRewrittenInPlace_WithItsOldMtimeSetBack_IsReadAgain()
    {
        // touch -d back to the old time: size, mtime and inode are as before, only ctime (which nobody can set) moved.
        Skip.IfNot(OperatingSystem.IsLinux(), "ctime comes from statx");
        WriteImage(1, LongAgo);
        var first = Run();
        var before = FileIdentity.Of(Image)!.Value;
        Thread.Sleep(20);
        using (var fs = new FileStream(Image, FileMode.Open, FileAccess.Write))
            fs.Write(new byte[4096]);
        File.SetLastWriteTimeUtc(Image, LongAgo);
        var after = FileIdentity.Of(Image)!.Value;
        Assert.Equal((before.Size, before.MtimeNs, before.Inode), (after.Size, after.MtimeNs, after.Inode));
        var second = Run();
        Assert.True(second.Computed);
        Assert.NotEqual(first.Value, second.Value);
    }

    [Fact]
    public void ImageReplacedByRename_WithTheSameSizeAndMtime_IsReadAgain()
    {
        WriteImage(1, LongAgo);
        Run();
        var other = Image + ".new";
        File.WriteAllBytes(other, Enumerable.Repeat((byte)2, 3 << 20).ToArray());
        File.SetLastWriteTimeUtc(other, LongAgo);
        File.Move(other, Image, overwrite: true);
        Assert.True(Run().Computed);
    }

    [Fact]
    public void DeletedOrDamagedCacheFile_IsRebuilt()
    {
        WriteImage(1, LongAgo);
        Run();
        File.Delete(CachePath);
        Assert.True(Run().Computed);
        Assert.False(Run().Computed);
        File.AppendAllText(CachePath, "half a line\n");
        Assert.True(Run().Computed);
        Assert.False(Run().Computed);
    }

    [Fact]
    public void ImageModifiedJustNow_IsNotRemembered()
    {
        // git's racy rule: a second write within the same clock tick would leave the identity unchanged.
        WriteImage(1, DateTime.UtcNow);
        Assert.True(Run().Computed);
        Assert.True(Run().Computed);
    }

    [Fact]
    public void EntriesOfImagesNoLongerAsked_AreDropped()
    {
        WriteImage(1, LongAgo);
        Run();
        Assert.Contains(Image, File.ReadAllText(CachePath), StringComparison.Ordinal);
        var cache = FileFactCache.Load(CachePath);
        cache.Save();
        Assert.DoesNotContain(Image, File.ReadAllText(CachePath), StringComparison.Ordinal);
    }
}
