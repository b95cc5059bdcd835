using Pungi.Build.Compose;

namespace Pungi.Build.Tests.Compose;

/// <summary>
/// The mapping the reruns read their work files through (package-set store, sack index, gather memos): the file's
/// bytes, an empty file as empty, nothing after disposal, and the old bytes kept while <see cref="AtomicFile"/>
/// replaces the file under it — the only way those files change, and what makes reading them mapped safe.
/// </summary>
public sealed class MappedFileTests
{
    [Fact]
    public void Maps_the_file_bytes_and_keeps_them_while_an_atomic_write_replaces_the_file()
    {
        using var t = new TempDir();
        var path = t.File("store.bin");
        var bytes = Enumerable.Range(0, 70_000).Select(i => (byte)(i * 7)).ToArray();
        File.WriteAllBytes(path, bytes);
        using var mapped = MappedFile.Open(path);
        Assert.Equal(bytes.Length, mapped.Length);
        Assert.True(mapped.Span.SequenceEqual(bytes));

        Assert.True(AtomicFile.WriteIfChanged(path, "replaced"u8));
        Assert.True(mapped.Span.SequenceEqual(bytes));
        using (var again = MappedFile.Open(path))
            Assert.True(again.Span.SequenceEqual("replaced"u8));

        mapped.Dispose();
        Assert.Throws<ObjectDisposedException>(() => mapped.Span.Length);
    }

    [Fact]
    public void An_empty_file_maps_as_empty_and_a_missing_one_is_an_IOException()
    {
        using var t = new TempDir();
        using (var empty = MappedFile.Open(t.File("empty.bin", "")))
            Assert.Equal(0, empty.Span.Length);
        Assert.ThrowsAny<IOException>(() => MappedFile.Open(Path.Combine(t.Path, "missing.bin")));
    }
}
