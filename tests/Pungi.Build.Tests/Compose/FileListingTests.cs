using Pungi.Build.Compose;

namespace Pungi.Build.Tests.Compose;

/// <summary>
/// The tree listings behind Createiso's and Pkgset's stamps: the fast path (each file stat'ed relative to its open
/// directory) gives exactly the values of stat'ing every file by its full path, on a tree with hidden
/// files, subdirectories, symlinks (to a file, to a directory, dangling) and non-ASCII names; and every change the
/// listing exists to catch changes it.
/// </summary>
public sealed class FileListingTests
{
    private static FileListing.Result Fast(params string[] dirs) => FileListing.Compute(dirs, "", atDirectory: true);
    private static FileListing.Result Slow(params string[] dirs) => FileListing.Compute(dirs, "", atDirectory: false);

    [Fact]
    public void StatxListing_EqualsTheFileSystemEntryListing()
    {
        using var t = new TempDir();
        var tree = Path.Combine(t.Path, "os");
        t.File("os/.treeinfo", "[general]\n");
        t.File("os/Packages/a/alpha-1.0-1.noarch.rpm", new string('a', 3000));
        t.File("os/Packages/b/béta-2.0-1.x86_64.rpm", "b");
        t.File("os/repodata/repomd.xml", "<repomd/>");
        t.File("elsewhere/target.rpm", "target");
        t.File("elsewhere/dir/inner.txt", "inner");
        File.CreateSymbolicLink(Path.Combine(tree, "Packages", "link.rpm"), Path.Combine(t.Path, "elsewhere", "target.rpm"));
        File.CreateSymbolicLink(Path.Combine(tree, "dangling.rpm"), Path.Combine(t.Path, "nowhere.rpm"));
        Directory.CreateSymbolicLink(Path.Combine(tree, "linked-dir"), Path.Combine(t.Path, "elsewhere", "dir"));
        File.SetLastWriteTimeUtc(Path.Combine(tree, "repodata", "repomd.xml"), new DateTime(2001, 2, 3, 4, 5, 6, 789, DateTimeKind.Utc).AddTicks(1234));

        if (OperatingSystem.IsLinux())
        {
            // The fast path is really taken here (not its fallback to a stat by path for everything).
            int fd = Statx.OpenDirectory(tree);
            Assert.True(fd >= 0, "statx on a directory descriptor is unavailable");
            Assert.True(Statx.StatAt(fd, "dangling.rpm\0"u8.ToArray(), new byte[256], out var link));
            Assert.True(link.IsSymlink);
            Statx.CloseDirectory(fd);
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(Path.Combine(t.Path, "nowhere.rpm")), link.Size);
        }
        var fast = Fast(tree, tree + "/", Path.Combine(t.Path, "missing"));
        Assert.Equal(Slow(tree, tree + "/", Path.Combine(t.Path, "missing")), fast);
        Assert.Equal(OperatingSystem.IsLinux(), fast.PinsIdentity);
        Assert.Equal(2 * 7, fast.Files); // 4 files, 2 symlinks and linked-dir/inner.txt, listed twice
        // Symlinks count as themselves (lstat: their target path's length), as du -l sees them.
        long links = System.Text.Encoding.UTF8.GetByteCount(Path.Combine(t.Path, "elsewhere", "target.rpm")) + System.Text.Encoding.UTF8.GetByteCount(Path.Combine(t.Path, "nowhere.rpm"));
        Assert.Equal(10 + 3000 + 1 + 9 + 5 + links, Fast(tree).Bytes);
        Assert.Equal(FileListing.Compute([tree], ".rpm", atDirectory: false), FileListing.Compute([tree], ".rpm"));
        Assert.Equal(4, FileListing.Compute([tree], ".rpm").Files);
    }

    /// <summary>A tree large enough to be stat'ed on every core, in chunks of one directory: the one-by-one listing's values.</summary>
    [Fact]
    public void ListingOnAllCores_EqualsTheListingOneByOne()
    {
        using var t = new TempDir();
        var tree = Path.Combine(t.Path, "os");
        for (int i = 0; i < 2600; i++) t.File($"os/Packages/flat-{i}.rpm", new string('x', i % 97));
        for (int i = 0; i < 700; i++) t.File($"os/Packages/{(char)('a' + i % 26)}/p{i}.rpm", "p");
        t.File("os/.treeinfo", "[general]\n");
        var fast = Fast(tree);
        Assert.Equal(3301, fast.Files);
        Assert.Equal(Slow(tree), fast);
        Assert.Equal(FileListing.Compute([tree], ".rpm", atDirectory: false), FileListing.Compute([tree], ".rpm"));
    }

    [Fact]
    public void EveryKindOfChange_ChangesTheListing()
    {
        using var t = new TempDir();
        var tree = Path.Combine(t.Path, "os");
        var rpm = t.File("os/Packages/a.rpm", "aaaa");
        t.File("os/b.rpm", "bb");
        var seen = new HashSet<FileListing.Result> { Fast(tree) };
        void Changed(string what)
        {
            var now = Fast(tree);
            Assert.Equal(Slow(tree), now);
            Assert.True(seen.Add(now), what + " left the listing as it was");
        }

        File.SetLastWriteTimeUtc(rpm, File.GetLastWriteTimeUtc(rpm).AddSeconds(-10));
        Changed("an older mtime");
        var mtime = File.GetLastWriteTimeUtc(rpm);
        File.WriteAllText(rpm, "aaaaa");
        File.SetLastWriteTimeUtc(rpm, mtime);
        Changed("a size change with the mtime kept");
        var copy = t.File("c.rpm", "new");
        File.SetLastWriteTimeUtc(copy, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.Move(copy, Path.Combine(tree, "c.rpm"));
        Changed("a file moved in with an old mtime");
        File.Move(Path.Combine(tree, "c.rpm"), Path.Combine(tree, "Packages", "c.rpm"));
        Changed("a file moved to another directory");
        File.Delete(Path.Combine(tree, "b.rpm"));
        Changed("a file removed");
    }

    /// <summary>rpms.json's linked-file check relative to a directory answers as File.Exists for every kind of entry.</summary>
    [Fact]
    public void ExistsAt_AnswersAsFileExists()
    {
        using var t = new TempDir();
        var dir = Path.Combine(t.Path, "Packages");
        t.File("Packages/a.rpm", "a");
        Directory.CreateDirectory(Path.Combine(dir, "sub.rpm"));
        File.CreateSymbolicLink(Path.Combine(dir, "link.rpm"), Path.Combine(dir, "a.rpm"));
        File.CreateSymbolicLink(Path.Combine(dir, "dangling.rpm"), Path.Combine(dir, "none.rpm"));
        Directory.CreateSymbolicLink(Path.Combine(dir, "dirlink.rpm"), Path.Combine(dir, "sub.rpm"));
        int fd = Statx.OpenDirectory(dir);
        try
        {
            foreach (var name in new[] { "a.rpm", "sub.rpm", "link.rpm", "dangling.rpm", "dirlink.rpm", "missing.rpm", "a.rpm/x" })
            {
                var answer = Statx.ExistsAt(fd, Statx.NullTerminated(name), new byte[256]);
                if (OperatingSystem.IsLinux()) Assert.NotNull(answer);
                Assert.Equal(File.Exists(Path.Combine(dir, name)), answer ?? File.Exists(Path.Combine(dir, name)));
            }
        }
        finally
        {
            Statx.CloseDirectory(fd);
        }
    }
}
